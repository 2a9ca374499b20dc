// KubeClient.create on two real loopback HTTP servers: the first reads a POST and breaks the
// connection (a server killed around its commit); the client sends it again to the second.
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { isAlreadyExists } from './api-error';
import { KubeClient } from './kube-client';
import { ResourceDescriptor } from './resource';
import { KubeObject } from './types';

const CM: ResourceDescriptor = { group: '', version: 'v1', plural: 'configmaps', namespaced: true };
type Handler = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const servers: Server[] = [];
async function serve(handler: Handler): Promise<string> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => handler(req, res, body));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

const json = (res: ServerResponse, code: number, body: unknown) => {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
};
const cm = (name: string, i: string): KubeObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' }, data: { i } }) as KubeObject;

/** An API server's view of ConfigMaps: POST creates (409 for a taken name), GET reads. */
function store(stored: Map<string, KubeObject>): Handler {
  return (req, res, body) => {
    if (req.method === 'POST') {
      const obj = JSON.parse(body) as KubeObject;
      const name = obj.metadata!.name!;
      if (stored.has(name)) return json(res, 409, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'AlreadyExists', code: 409, message: `configmaps "${name}" already exists` });
      stored.set(name, { ...obj, metadata: { ...obj.metadata, uid: `uid-${name}`, resourceVersion: '1' } });
      return json(res, 201, stored.get(name));
    }
    const name = req.url!.split('?')[0].split('/').pop()!;
    const obj = stored.get(name);
    return obj ? json(res, 200, obj) : json(res, 404, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', code: 404 });
  };
}

describe('KubeClient.create after a broken connection', () => {
  it.each([
    ['committed by the first server, then 409 on the retry → the stored object (ours)', { commitFirst: true, taken: undefined, generateName: false }, 'ours'],
    ['the name held by another object → 409 AlreadyExists', { commitFirst: false, taken: cm('a', 'someone else'), generateName: false }, 'already-exists'],
    ['not committed → created by the retry', { commitFirst: false, taken: undefined, generateName: false }, 'created'],
    ['generateName: never sent again', { commitFirst: true, taken: undefined, generateName: true }, 'connection-error'],
  ] as const)('%s', async (_name, setup, want) => {
    const stored = new Map<string, KubeObject>();
    if (setup.taken) stored.set('a', setup.taken);
    const behind = store(stored);
    let posts = 0;
    const first = await serve((req, res, body) => {
      posts++;
      if (setup.commitFirst) behind(req, new ServerResponse(req), body);
      req.socket.destroy();
    });
    const second = await serve((req, res, body) => {
      if (req.method === 'POST') posts++;
      behind(req, res, body);
    });
    const client = new KubeClient({ server: `${first},${second}` });
    const sent = setup.generateName ? ({ ...cm('', '1'), metadata: { generateName: 'a-', namespace: 'default' } } as KubeObject) : cm('a', '1');
    try {
      const outcome = await client.create(CM, sent).catch((error: unknown) => error);
      if (want === 'ours' || want === 'created') {
        expect(outcome).toMatchObject({ metadata: { name: 'a', uid: 'uid-a' }, data: { i: '1' } });
        expect(posts).toBe(2);
      } else if (want === 'already-exists') {
        expect(isAlreadyExists(outcome)).toBe(true);
        expect(stored.get('a')).toBe(setup.taken);
      } else {
        expect(outcome).toBeInstanceOf(Error);
        expect(isAlreadyExists(outcome)).toBe(false);
        expect(posts).toBe(1);
      }
    } finally {
      await client.destroy();
    }
  });

  it('a 409 without a broken connection stays AlreadyExists, even for an equal object', async () => {
    const stored = new Map([['a', cm('a', '1')]]);
    const server = await serve(store(stored));
    const client = new KubeClient({ server });
    try {
      expect(isAlreadyExists(await client.create(CM, cm('a', '1')).catch((e: unknown) => e))).toBe(true);
    } finally {
      await client.destroy();
    }
  });
});

describe('KubeClient.create after a 5xx with Retry-After (etcd timed out around its commit)', () => {
  const serverTimeout = (res: ServerResponse) => {
    res.setHeader('retry-after', '0');
    json(res, 500, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'ServerTimeout', code: 500, message: 'The create operation against configmaps could not be completed at this time, please try again.', details: { kind: 'configmaps', name: 'create', retryAfterSeconds: 0 } });
  };

  it.each([
    ['committed before the timeout → 409 on the retry → the stored object (ours)', { commitFirst: true, taken: undefined }, 'ours'],
    ['not committed → created by the retry', { commitFirst: false, taken: undefined }, 'created'],
    ['the name held by another object → 409 AlreadyExists', { commitFirst: false, taken: cm('a', 'someone else') }, 'already-exists'],
  ] as const)('%s', async (_name, setup, want) => {
    const stored = new Map<string, KubeObject>();
    if (setup.taken) stored.set('a', setup.taken);
    const behind = store(stored);
    let posts = 0;
    const server = await serve((req, res, body) => {
      if (req.method !== 'POST') return behind(req, res, body);
      posts++;
      if (posts > 1) return behind(req, res, body);
      if (setup.commitFirst) behind(req, new ServerResponse(req), body);
      serverTimeout(res);
    });
    const client = new KubeClient({ server });
    try {
      const outcome = await client.create(CM, cm('a', '1')).catch((error: unknown) => error);
      expect(posts).toBe(2);
      if (want === 'already-exists') {
        expect(isAlreadyExists(outcome)).toBe(true);
        expect(stored.get('a')).toBe(setup.taken);
      } else {
        expect(outcome).toMatchObject({ metadata: { name: 'a', uid: 'uid-a' }, data: { i: '1' } });
      }
    } finally {
      await client.destroy();
    }
  });

  it('a 429 is refused before any work: a 409 after it stays AlreadyExists', async () => {
    const stored = new Map([['a', cm('a', '1')]]);
    const behind = store(stored);
    let posts = 0;
    const server = await serve((req, res, body) => {
      if (req.method === 'POST' && ++posts === 1) {
        res.setHeader('retry-after', '0');
        return json(res, 429, { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'TooManyRequests', code: 429 });
      }
      behind(req, res, body);
    });
    const client = new KubeClient({ server });
    try {
      expect(isAlreadyExists(await client.create(CM, cm('a', '1')).catch((e: unknown) => e))).toBe(true);
      expect(posts).toBe(2);
    } finally {
      await client.destroy();
    }
  });
});
