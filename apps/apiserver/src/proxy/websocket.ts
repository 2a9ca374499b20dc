// Upgraded requests: pods/exec over Kubernetes' channel websocket protocol (v4/v5, as kubectl
// speaks it) and the VMI serial console as raw bytes, both relayed to the node agent's gRPC.
import { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { findResource, forbidden, KubeObject, notFound, qualifiedResource, Status, toStatus } from '@coxswain/api';
import { ExecOutput } from '@coxswain/proto';
import { authorize } from '../auth/authorizer';
import { UserInfo } from '../auth/tokens';
import { parseRequestInfo } from '../request/request-info';
import { ObjectStore } from '../storage/object-store';
import { grpcToStatus, NodeClients } from './node-clients';
import { queryFlag } from '../rest/context';

const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

export interface UpgradeDeps {
  store: ObjectStore;
  nodes: NodeClients;
  authenticate(req: IncomingMessage): UserInfo;
}

function reject(socket: Duplex, status: Status): void {
  const body = JSON.stringify(status);
  socket.end(`HTTP/1.1 ${status.code} ${status.reason}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

export function exitStatus(code: number, command: string[]): object {
  if (code === 0) return { metadata: {}, status: 'Success' };
  return {
    metadata: {},
    status: 'Failure',
    message: `command terminated with non-zero exit code: error executing command [${command.join(' ')}], exit code ${code}`,
    reason: 'NonZeroExitCode',
    details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
  };
}

export function createUpgradeHandler(deps: UpgradeDeps) {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => CHANNEL_PROTOCOLS.find((p) => protocols.has(p)) ?? [...protocols][0] ?? false,
  });

  return async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    socket.on('error', () => undefined);
    try {
      const url = new URL(req.url ?? '/', 'http://local');
      const info = parseRequestInfo('GET', url.pathname, url.searchParams);
      const resource = info.resource ? findResource(info.group, info.version, info.resource) : undefined;
      const kind = resource?.kind;
      const allowed = (kind === 'Pod' && (info.subresource === 'exec' || info.subresource === 'attach')) || (kind === 'VirtualMachineInstance' && info.subresource === 'console');
      if (!resource || !allowed || !info.name) throw notFound({ resource: info.path });
      const user = deps.authenticate(req);
      const decision = authorize(user, { verb: 'create', group: info.group, resource: resource.plural, subresource: info.subresource, namespace: info.namespace, name: info.name });
      if (!decision.allowed) throw forbidden(user.name, 'create', { resource: `${qualifiedResource(resource)}/${info.subresource}`, name: info.name, group: resource.group }, info.namespace, decision.reason);
      const obj = await deps.store.get(resource, info.namespace, info.name);
      if (!obj) throw notFound({ resource: qualifiedResource(resource), name: info.name });
      const { client } = await deps.nodes.forWorkload(obj);
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (kind === 'Pod') relayExec(ws, client, obj, url.searchParams);
        else relayConsole(ws, client, obj);
      });
    } catch (error) {
      reject(socket, toStatus(error));
    }
  };
}

function relayExec(ws: WebSocket, client: Awaited<ReturnType<NodeClients['forNode']>>, pod: KubeObject, query: URLSearchParams): void {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  const command = query.getAll('command');
  const tty = queryFlag(query, 'tty');
  const stdin = queryFlag(query, 'stdin');
  const send = (channel: number, data: Buffer | string) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), Buffer.isBuffer(data) ? data : Buffer.from(data)]));
  };
  const call = client.exec();
  call.write({ start: { pod: { namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid }, container: query.get('container') ?? undefined, command, stdin, tty } });
  if (!stdin) call.write({ stdinEof: true });
  call.on('data', (out: ExecOutput) => {
    if ('stdout' in out && out.stdout) send(STDOUT, out.stdout);
    else if ('stderr' in out && out.stderr) send(STDERR, out.stderr);
    else if ('exitCode' in out && out.exitCode !== undefined) {
      send(ERROR, JSON.stringify(exitStatus(out.exitCode, command)));
      ws.close(1000);
    }
  });
  call.on('error', (error: Error & { code?: number }) => {
    if (error.code !== 1) send(ERROR, JSON.stringify(grpcToStatus(error).status));
    ws.close(1000);
  });
  call.on('end', () => ws.close(1000));
  ws.on('message', (data: Buffer) => {
    if (data.length === 0) return;
    const channel = data[0];
    const payload = data.subarray(1);
    if (channel === STDIN) {
      if (payload.length) call.write({ stdin: payload });
    } else if (channel === RESIZE) {
      try {
        const size = JSON.parse(payload.toString()) as { Width: number; Height: number };
        call.write({ resize: { width: size.Width, height: size.Height } });
      } catch {
        /* malformed resize: ignore */
      }
    } else if (channel === CLOSE && v5 && payload[0] === STDIN) {
      call.write({ stdinEof: true });
    }
  });
  ws.on('close', () => call.cancel());
}

function relayConsole(ws: WebSocket, client: Awaited<ReturnType<NodeClients['forNode']>>, vmi: KubeObject): void {
  const call = client.console();
  call.write({ attach: { namespace: vmi.metadata.namespace!, name: vmi.metadata.name!, uid: vmi.metadata.uid } });
  call.on('data', (out: { data: Buffer }) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(out.data);
  });
  call.on('error', () => ws.close(1011));
  call.on('end', () => ws.close(1000));
  ws.on('message', (data: Buffer) => call.write({ data }));
  ws.on('close', () => call.cancel());
}
