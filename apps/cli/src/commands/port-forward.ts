// coxctl port-forward (POD | pod/NAME | svc/NAME | TYPE/NAME) [LOCAL:]REMOTE...: listens on
// loopback and carries each accepted connection over its own pods/portforward websocket
// (`v4.channel.k8s.io`: data on channel 0, errors on channel 1, each channel's first frame
// is the port). Prints what kubectl prints and runs until Ctrl-C.
import { createServer, Server, Socket } from 'node:net';
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError } from '../errors';
import { buildQuery, openWebSocket } from '../stream/websocket';
import { ApiResource } from '../resources/mapper';
import { Obj } from '../types';
import { formatLabelSelector } from '../printers/selector';
import { parsePortPairs, PortPair, servicePortsToPodPorts } from './port-forward-target';
import { PODS, pickPod, resolvePod } from './pods';

const SERVICES: ApiResource = { group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'], categories: ['all'], verbs: ['get', 'list'], subresources: [] };
const PORT_FORWARD_PROTOCOL = 'v4.channel.k8s.io';

/** The pod and the pod ports to forward to. */
async function resolveTarget(ctx: CommandContext, arg: string, specs: string[]): Promise<{ pod: Obj; pairs: PortPair[] }> {
  const [type, name] = arg.includes('/') ? [arg.slice(0, arg.indexOf('/')), arg.slice(arg.indexOf('/') + 1)] : ['', arg];
  if (['svc', 'service', 'services'].includes(type.toLowerCase())) {
    const service = await ctx.client.get<Obj>(SERVICES, name, { namespace: ctx.namespace });
    const selector = service.spec?.selector;
    if (!selector || !Object.keys(selector).length) throw new CliError(`cannot attach to *v1.Service: invalid service '${name}': Service is defined without a selector`);
    const pods = await ctx.client.list<Obj>(PODS, { namespace: ctx.namespace, labelSelector: formatLabelSelector({ matchLabels: selector }) });
    const pod = pickPod(pods.items);
    if (!pod) throw new CliError(`timed out waiting for the condition`);
    return { pod, pairs: parsePortPairs(servicePortsToPodPorts(service, pod, specs)) };
  }
  return { pod: await resolvePod(ctx, arg), pairs: parsePortPairs(specs) };
}

function listen(address: string, port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer({ pauseOnConnect: true });
    server.once('error', (e: NodeJS.ErrnoException) => reject(new CliError(`unable to listen on port ${port}: ${e.code === 'EADDRINUSE' ? 'address already in use' : e.message}`)));
    server.listen(port, address, () => resolve(server));
  });
}

export async function runPortForward(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (parsed.args.length < 2) throw new UsageError('TYPE/NAME and list of ports are required for port-forward', ctx.commandPath);
  const { pod, pairs } = await resolveTarget(ctx, parsed.args[0], parsed.args.slice(1));
  if (pod.status?.phase !== 'Running') throw new CliError(`unable to forward port because pod is not running. Current status=${pod.status?.phase ?? 'Unknown'}`);
  const address = ctx.str('address') || '127.0.0.1';
  const host = address === 'localhost' ? '127.0.0.1' : address;
  const conn = ctx.kube().resolved.connection;
  const path = (remote: number) => `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}/portforward${buildQuery([['ports', remote]])}`;
  const servers: Server[] = [];
  for (const pair of pairs) {
    const server = await listen(host, pair.local);
    const local = (server.address() as { port: number }).port;
    servers.push(server);
    ctx.out(`Forwarding from ${host}:${local} -> ${pair.remote}\n`);
    server.on('connection', (socket: Socket) => {
      ctx.out(`Handling connection for ${local}\n`);
      void carry(socket, () => openWebSocket(conn, path(pair.remote), [PORT_FORWARD_PROTOCOL]), (message) => ctx.err(`E${new Date().toISOString()} an error occurred forwarding ${local} -> ${pair.remote}: ${message}\n`));
    });
  }
  await new Promise<void>((resolve) => {
    if (ctx.io.signal?.aborted) return resolve();
    ctx.io.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  for (const server of servers) server.close();
  return 0;
}

/** One local connection ⇄ one websocket; the first frame of each channel (the port) is skipped. */
async function carry(socket: Socket, open: () => ReturnType<typeof openWebSocket>, report: (message: string) => void): Promise<void> {
  let ws: Awaited<ReturnType<typeof openWebSocket>>;
  try {
    ws = await open();
  } catch (error) {
    report((error as Error).message);
    socket.destroy();
    return;
  }
  const seen = new Set<number>();
  ws.on('message', (data: Buffer) => {
    if (!data.length) return;
    const channel = data[0];
    let payload = data.subarray(1);
    if (!seen.has(channel)) {
      seen.add(channel);
      payload = payload.subarray(2);
    }
    if (!payload.length) return;
    if (channel === 0) socket.write(payload);
    else if (channel === 1) report(payload.toString());
  });
  ws.on('close', () => socket.end());
  ws.on('error', () => socket.destroy());
  socket.on('data', (data: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([0]), data]));
  });
  socket.on('end', () => ws.close());
  socket.on('error', () => ws.close());
  socket.on('close', () => ws.close());
  ws.resume();
  socket.resume();
}
