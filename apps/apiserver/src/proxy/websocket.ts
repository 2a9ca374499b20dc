// Upgraded requests: pods/exec and pods/attach over Kubernetes' channel websocket protocol
// (v4/v5, as kubectl speaks it), pods/portforward over SPDY (plain or tunneled in a
// websocket) and the VMI serial console as raw bytes, all relayed to the node agent's gRPC.
// The target is checked before the upgrade, so a workload that cannot stream gets a Status.
import { IncomingMessage } from 'node:http';
import { Duplex } from 'node:stream';
import { WebSocket, WebSocketServer } from 'ws';
import { badRequest, findResource, forbidden, KubeObject, notFound, qualifiedResource, Status, toStatus } from '@coxswain/api';
import { ExecOutput } from '@coxswain/proto';
import { authorize } from '../auth/authorizer';
import { UserInfo } from '../auth/tokens';
import { parseRequestInfo } from '../request/request-info';
import { ObjectStore } from '../storage/object-store';
import { grpcToStatus, NodeClients } from './node-clients';
import { queryFlag } from '../rest/context';
import { checkConsole, checkPodStream } from './stream-target';
import { PORT_FORWARD_PROTOCOL, servePortForward, SPDY_TUNNEL_PROTOCOL } from './portforward';
import { SpdySession } from './spdy/session';
import { portsOf, serveChannelPortForward } from './portforward-channels';

const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
// `SPDY/3.1+portforward.k8s.io` is not an RFC 6455 token ('/'), so `ws` refuses to parse it:
// the offer is renamed to a token for the handshake and named back in the 101 answer.
const TUNNEL_ALIAS = 'spdy-3.1-tunnel.portforward.k8s.io';

/** A websocket server that accepts kubectl's SPDY tunnel subprotocol. */
function spdyTunnelServer(): WebSocketServer {
  const server = new WebSocketServer({ noServer: true, perMessageDeflate: false, handleProtocols: (offered) => (offered.has(TUNNEL_ALIAS) ? TUNNEL_ALIAS : false) });
  server.on('headers', (headers: string[]) => {
    const at = headers.indexOf(`Sec-WebSocket-Protocol: ${TUNNEL_ALIAS}`);
    if (at >= 0) headers[at] = `Sec-WebSocket-Protocol: ${SPDY_TUNNEL_PROTOCOL}`;
  });
  return server;
}
const POD_STREAMS = new Set(['exec', 'attach', 'portforward']);
const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const ERROR = 3;
const RESIZE = 4;
const CLOSE = 255;

export interface UpgradeDeps {
  store: ObjectStore;
  nodes: NodeClients;
  authenticate(req: IncomingMessage): Promise<UserInfo>;
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
  const tunnel = spdyTunnelServer();

  return async (req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> => {
    socket.on('error', () => undefined);
    try {
      const url = new URL(req.url ?? '/', 'http://local');
      const info = parseRequestInfo('GET', url.pathname, url.searchParams);
      const resource = info.resource ? findResource(info.group, info.version, info.resource) : undefined;
      const kind = resource?.kind;
      const allowed = (kind === 'Pod' && POD_STREAMS.has(info.subresource ?? '')) || (kind === 'VirtualMachineInstance' && info.subresource === 'console');
      if (!resource || !allowed || !info.name) throw notFound({ resource: info.path });
      const user = await deps.authenticate(req);
      const decision = authorize(user, { verb: 'create', group: info.group, resource: resource.plural, subresource: info.subresource, namespace: info.namespace, name: info.name });
      if (!decision.allowed) throw forbidden(user.name, 'create', { resource: `${qualifiedResource(resource)}/${info.subresource}`, name: info.name, group: resource.group }, info.namespace, decision.reason);
      const obj = await deps.store.get(resource, info.namespace, info.name);
      if (!obj) throw notFound({ resource: qualifiedResource(resource), name: info.name });
      const query = url.searchParams;
      if (kind === 'Pod') {
        const container = checkPodStream(obj, { stream: info.subresource as 'exec' | 'attach' | 'portforward', container: query.get('container') ?? undefined });
        if (container) query.set('container', container);
      } else {
        checkConsole(obj);
      }
      const { client } = await deps.nodes.forWorkload(obj);
      if (info.subresource === 'portforward') return upgradePortForward(req, socket, head, { channels: wss, tunnel }, client, obj, query);
      wss.handleUpgrade(req, socket, head, (ws) => {
        if (info.subresource === 'exec') relayExec(ws, client, obj, query);
        else if (info.subresource === 'attach') relayAttach(ws, client, obj, query);
        else relayConsole(ws, client, obj);
      });
    } catch (error) {
      reject(socket, toStatus(error));
    }
  };
}

type AgentClient = Awaited<ReturnType<NodeClients['forNode']>>;

/** SPDY after a plain `Upgrade: SPDY/3.1` (kubectl ≤ 1.30), or tunneled in a websocket (kubectl ≥ 1.31). */
function upgradePortForward(req: IncomingMessage, socket: Duplex, head: Buffer, servers: { channels: WebSocketServer; tunnel: WebSocketServer }, client: AgentClient, pod: KubeObject, query: URLSearchParams): void {
  const open = (port: number) => {
    const call = client.portForward();
    call.write({ start: { pod: { namespace: pod.metadata.namespace!, name: pod.metadata.name!, uid: pod.metadata.uid }, port } });
    return call;
  };
  const upgrade = String(req.headers.upgrade ?? '').toLowerCase();
  if (upgrade === 'websocket') {
    const offered = String(req.headers['sec-websocket-protocol'] ?? '').split(',').map((p) => p.trim());
    if (offered.includes(SPDY_TUNNEL_PROTOCOL)) {
      req.headers['sec-websocket-protocol'] = TUNNEL_ALIAS;
      servers.tunnel.handleUpgrade(req, socket, head, (ws) => {
        const session = new SpdySession({ write: (data) => ws.readyState === WebSocket.OPEN && ws.send(data, { binary: true }), close: () => ws.close(1000) });
        ws.on('message', (data: Buffer) => session.receive(data));
        ws.on('close', () => session.close());
        ws.on('error', () => session.close());
        servePortForward(session, open);
      });
      return;
    }
    const ports = portsOf(query);
    if (typeof ports === 'string') return reject(socket, toStatus(badRequest(ports)));
    servers.channels.handleUpgrade(req, socket, head, (ws) => {
      if (ws.protocol !== 'v4.channel.k8s.io') return ws.close(1002, `portforward speaks ${SPDY_TUNNEL_PROTOCOL} or v4.channel.k8s.io`);
      serveChannelPortForward(ws, ports, open);
    });
    return;
  }
  if (upgrade !== 'spdy/3.1') return reject(socket, toStatus(badRequest(`unable to upgrade: unsupported protocol "${req.headers.upgrade ?? ''}", want SPDY/3.1 or websocket`)));
  const offered = String(req.headers['x-stream-protocol-version'] ?? '').split(',').map((p) => p.trim());
  if (offered[0] && !offered.includes(PORT_FORWARD_PROTOCOL)) return reject(socket, toStatus(badRequest(`unable to upgrade: unable to negotiate protocol: client supports ${offered.join(', ')}, server supports ${PORT_FORWARD_PROTOCOL}`)));
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\nX-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`);
  const session = new SpdySession({ write: (data) => socket.writable && socket.write(data), close: () => socket.end() });
  socket.on('data', (data: Buffer) => session.receive(data));
  socket.on('close', () => session.close());
  servePortForward(session, open);
  if (head.length) session.receive(head);
}

function relayExec(ws: WebSocket, client: AgentClient, pod: KubeObject, query: URLSearchParams, attach = false): void {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  const command = query.getAll('command');
  const tty = queryFlag(query, 'tty');
  const stdin = queryFlag(query, 'stdin');
  const send = (channel: number, data: Buffer | string) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), Buffer.isBuffer(data) ? data : Buffer.from(data)]));
  };
  const call = attach ? client.attach() : client.exec();
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

/** kubectl attach: the container's own output (and, once the shim relays it, its stdin) on the exec channels. */
function relayAttach(ws: WebSocket, client: AgentClient, pod: KubeObject, query: URLSearchParams): void {
  relayExec(ws, client, pod, query, true);
}

function relayConsole(ws: WebSocket, client: AgentClient, vmi: KubeObject): void {
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
