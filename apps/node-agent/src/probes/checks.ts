import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { grpcHealthCheck } from './grpc-health';
import { ProbeSpec } from './probe-state';

export interface ProbeTarget {
  /** The pod's IP: probes without a host go there, as the kubelet does. */
  podIP: string;
  /** Named ports resolve through the container's ports. */
  ports: Array<{ name?: string; containerPort: number }>;
  /** Runs a command in the container; resolves to its exit code. */
  exec(command: string[], timeoutMs: number): Promise<number>;
}

export interface CheckResult {
  ok: boolean;
  message: string;
}

export function resolvePort(port: number | string, ports: ProbeTarget['ports']): number {
  if (typeof port === 'number') return port;
  if (/^\d+$/.test(port)) return Number(port);
  const found = ports.find((p) => p.name === port);
  if (!found) throw new Error(`port "${port}" is not declared by the container`);
  return found.containerPort;
}

/** Performs one check of a probe; never throws. */
export async function runCheck(spec: ProbeSpec, target: ProbeTarget, timeoutMs: number): Promise<CheckResult> {
  try {
    if (spec.exec) {
      const code = await target.exec(spec.exec.command, timeoutMs);
      return { ok: code === 0, message: `exec exited with ${code}` };
    }
    if (spec.httpGet) return await httpCheck(spec.httpGet, target, timeoutMs);
    if (spec.tcpSocket) return await tcpCheck(spec.tcpSocket.host ?? target.podIP, resolvePort(spec.tcpSocket.port, target.ports), timeoutMs);
    if (spec.grpc) return await grpcHealthCheck(target.podIP, spec.grpc.port, spec.grpc.service, timeoutMs);
    return { ok: false, message: 'probe has no handler' };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

function httpCheck(get: NonNullable<ProbeSpec['httpGet']>, target: ProbeTarget, timeoutMs: number): Promise<CheckResult> {
  const port = resolvePort(get.port, target.ports);
  const request = get.scheme === 'HTTPS' ? httpsRequest : httpRequest;
  const headers = Object.fromEntries((get.httpHeaders ?? []).map((h) => [h.name, h.value]));
  return new Promise((resolve) => {
    const req = request(
      { host: get.host ?? target.podIP, port, path: get.path ?? '/', method: 'GET', headers: { 'User-Agent': 'coxswain-probe/1.0', ...headers }, timeout: timeoutMs, rejectUnauthorized: false },
      (res) => {
        res.resume();
        const code = res.statusCode ?? 0;
        // Kubernetes counts 200–399 as success.
        resolve({ ok: code >= 200 && code < 400, message: `HTTP probe failed with statuscode: ${code}` });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`Get "http://${get.host ?? target.podIP}:${port}${get.path ?? '/'}": context deadline exceeded`)));
    req.on('error', (e) => resolve({ ok: false, message: e.message }));
    req.end();
  });
}

function tcpCheck(host: string, port: number, timeoutMs: number): Promise<CheckResult> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    socket.on('connect', () => {
      socket.destroy();
      resolve({ ok: true, message: 'connected' });
    });
    socket.on('timeout', () => {
      socket.destroy();
      resolve({ ok: false, message: `dial tcp ${host}:${port}: i/o timeout` });
    });
    socket.on('error', (e) => resolve({ ok: false, message: `dial tcp ${host}:${port}: ${e.message}` }));
  });
}
