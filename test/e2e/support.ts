// Helpers shared by the cluster end-to-end suites: the real kubectl, API calls with the
// cluster's CA, and polling with a described timeout.
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { RunningCluster, tlsDispatcher } from '@coxswain/harness';

const run = promisify(execFile);
export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const KUBECTL = '/usr/bin/kubectl';

export interface KubectlResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function kubectl(cluster: RunningCluster, args: string[], options: { input?: string; timeoutMs?: number; role?: string } = {}): Promise<KubectlResult> {
  const kubeconfig = cluster.kubeconfigPath((options.role ?? 'admin') as never);
  const child = run(KUBECTL, ['--kubeconfig', kubeconfig, ...args], { timeout: options.timeoutMs ?? 60_000, maxBuffer: 16 * 1024 * 1024 });
  if (options.input !== undefined) {
    child.child.stdin?.end(options.input);
  }
  try {
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(error) };
  }
}

/** kubectl that must succeed; returns stdout. */
export async function k(cluster: RunningCluster, ...args: string[]): Promise<string> {
  const result = await kubectl(cluster, args);
  if (result.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${result.code}): ${result.stderr}`);
  return result.stdout;
}

export async function api(cluster: RunningCluster, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<{ status: number; body: Obj }> {
  const res = await request(`${cluster.api.url}${path}`, {
    method: method as 'GET',
    headers: { authorization: `Bearer ${cluster.api.tokens.admin}`, ...(body !== undefined ? { 'content-type': contentType } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
    dispatcher: tlsDispatcher(cluster.api.ca!),
  });
  const text = await res.body.text();
  return { status: res.statusCode, body: text ? (JSON.parse(text) as Obj) : {} };
}

export async function getObj(cluster: RunningCluster, path: string): Promise<Obj | undefined> {
  const res = await api(cluster, 'GET', path);
  return res.status === 200 ? res.body : undefined;
}

export async function waitFor<T>(what: string, check: () => Promise<T | undefined | false>, timeoutMs = 60_000, intervalMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export async function manifest(text: string): Promise<string> {
  const path = join(tmpdir(), `cox-e2e-${process.pid}-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(path, text);
  return path;
}

/**
 * Spawns a long-running client (port-forward, attach, exec) and resolves once its output matches
 * `pattern`; the child goes into `children` so the suite's afterAll kills it.
 */
export function spawnUntilOutput(children: ChildProcess[], bin: string, args: string[], pattern: RegExp): Promise<{ child: ChildProcess; match: RegExpMatchArray }> {
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const match = out.match(pattern);
      if (match) resolve({ child, match });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.on('exit', (code) => reject(new Error(`${bin} exited ${code}: ${out}`)));
  });
}
