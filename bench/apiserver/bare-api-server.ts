// The least a Node API server of this design must do per create, in a process of its own (see
// bare-api.ts): read the POST body, JSON.parse it, stamp uid and creationTimestamp,
// JSON.stringify it into an etcd create-if-absent txn (the API server's own etcd client, the
// cheapest we have), answer with the object; one etcd watch on the prefix, each event decoded
// once, its line encoded once and written to every watcher, corked per event-loop turn as the
// API server does. No routing, authentication, validation, defaults, admission, flow control,
// metrics or cache: what it costs is the floor under the API server's CPU per write.
// Prints its port on stdout once etcd's watch is open.
import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { EtcdKvClient, EtcdWatchClient } from '../../apps/apiserver/src/storage/etcd-kv';

const PREFIX = '/bare/pods/';
const endpoint = process.env.BARE_ETCD!;
const kv = new EtcdKvClient([endpoint]);
const watches = new EtcdWatchClient([endpoint]);
const watchers = new Set<ServerResponse>();
let flush: NodeJS.Immediate | undefined;

function flushAll(): void {
  flush = undefined;
  for (const res of watchers) res.uncork();
}

function fanOut(line: Buffer): void {
  if (!flush) {
    for (const res of watchers) res.cork();
    flush = setImmediate(flushAll);
  }
  for (const res of watchers) res.write(line);
}

async function body(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function create(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const obj = JSON.parse(await body(req));
  obj.metadata = { ...obj.metadata, namespace: 'bench', uid: randomUUID(), creationTimestamp: new Date().toISOString().replace(/\.\d+Z$/, 'Z') };
  const key = PREFIX + obj.metadata.name;
  const result = await kv.txn({ compare: [{ key, target: 'Create', result: '==', value: 0 }], success: [{ put: { key, value: JSON.stringify(obj) } }] });
  if (!result.succeeded) {
    res.writeHead(409, { 'content-type': 'application/json' }).end('{"kind":"Status","code":409}');
    return;
  }
  obj.metadata.resourceVersion = String(result.revision);
  const out = JSON.stringify(obj);
  res.writeHead(201, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(out) }).end(out);
}

function watch(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
  res.flushHeaders();
  watchers.add(res);
  res.on('close', () => watchers.delete(res));
}

async function main(): Promise<void> {
  await watches.watch(
    { key: PREFIX, rangeEnd: PREFIX.slice(0, -1) + String.fromCharCode(PREFIX.charCodeAt(PREFIX.length - 1) + 1) },
    {
      onEvents: (events) => {
        for (const event of events) {
          const obj = JSON.parse(event.kv.value.toString('utf8'));
          obj.metadata.resourceVersion = String(event.kv.mod_revision);
          fanOut(Buffer.from(`{"type":"${event.type === 'PUT' ? (event.kv.version === 1 ? 'ADDED' : 'MODIFIED') : 'DELETED'}","object":${JSON.stringify(obj)}}\n`));
        }
      },
      onProgress: () => undefined,
      onError: (error) => {
        console.error(error);
        process.exit(1);
      },
    },
  );
  const server = createServer((req, res) => {
    if (req.method === 'POST') create(req, res).catch((error) => res.writeHead(500).end(String(error)));
    else watch(res);
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1', () => console.log((server.address() as { port: number }).port));
}

process.on('SIGTERM', () => process.exit(0));
void main();
