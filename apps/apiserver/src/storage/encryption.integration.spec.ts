// Secrets on a real etcd through the real API server process: encrypted at rest with the
// EncryptionConfiguration key file (raw etcd values carry Kubernetes' prefix and no plaintext),
// key rotation by rewriting, viewer and node access rules, and kubectl's create/get.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Etcd3 } from 'etcd3';
import { fetch } from 'undici';
import { encryptionConfigYaml, EncryptionKey, newEncryptionKey, RunningApiServerHarness, RunningEtcd, startApiServer, startEtcd, tlsDispatcher } from '@coxswain/harness';

jest.setTimeout(120_000);
const run = promisify(execFile);

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let etcd: RunningEtcd;
let raw: Etcd3;
let dir: string;
let api: RunningApiServerHarness | undefined;

async function startWithKeys(keys: EncryptionKey[]): Promise<RunningApiServerHarness> {
  await api?.stop();
  const config = join(dir, 'encryption.yaml');
  await writeFile(config, encryptionConfigYaml(keys), { mode: 0o600 });
  // TLS: kubectl sends bearer tokens only over HTTPS.
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: ['n1'], tls: true, args: ['--encryption-provider-config', config] });
  return api;
}

async function call(method: string, path: string, body?: unknown, token = api!.tokens.admin): Promise<{ status: number; body: Obj }> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${api!.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), dispatcher: tlsDispatcher(api!.ca!) });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Obj) : {} };
}

const rawValue = async (name: string, ns = 'default') => (await raw.get(`/registry/core/secrets/${ns}/${name}`).buffer())!;
const secret = (name: string, stringData: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData });

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cox-enc-'));
  etcd = await startEtcd();
  raw = new Etcd3({ hosts: etcd.endpoint });
});

afterAll(async () => {
  await api?.stop();
  raw?.close();
  await etcd?.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('Secrets encrypted at rest', () => {
  const key1 = newEncryptionKey('key1');
  const key2 = newEncryptionKey('key2');

  it('stores no plaintext and reads back; stringData is never stored or returned', async () => {
    await startWithKeys([key1]);
    const created = await call('POST', '/api/v1/namespaces/default/secrets', secret('db', { password: 'hunter2-very-secret' }));
    expect(created.status).toBe(201);
    expect(created.body.stringData).toBeUndefined();
    expect(created.body.data).toEqual({ password: Buffer.from('hunter2-very-secret').toString('base64') });
    const stored = await rawValue('db');
    expect(stored.subarray(0, 23).toString()).toBe('k8s:enc:aesgcm:v1:key1:');
    for (const needle of ['hunter2', Buffer.from('hunter2-very-secret').toString('base64'), 'password', '"kind"']) expect(stored.includes(Buffer.from(needle))).toBe(false);
    const got = await call('GET', '/api/v1/namespaces/default/secrets/db');
    expect(Buffer.from(got.body.data.password, 'base64').toString()).toBe('hunter2-very-secret');
  });

  it('leaves other resources in plain JSON', async () => {
    expect((await call('POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'plain' }, data: { a: 'visible' } })).status).toBe(201);
    expect((await raw.get('/registry/core/configmaps/default/plain').string())).toContain('visible');
  });

  it('rotates: new key first, rewrite every secret, drop the old key', async () => {
    await startWithKeys([key2, key1]);
    expect((await rawValue('db')).subarray(0, 23).toString()).toBe('k8s:enc:aesgcm:v1:key1:');
    // `kubectl get secrets -A -o json | kubectl replace -f -`: an unchanged PUT still rewrites.
    const list = await call('GET', '/api/v1/secrets');
    for (const item of list.body.items) {
      const put = await call('PUT', `/api/v1/namespaces/${item.metadata.namespace}/secrets/${item.metadata.name}`, item);
      expect(put.status).toBe(200);
    }
    expect((await rawValue('db')).subarray(0, 23).toString()).toBe('k8s:enc:aesgcm:v1:key2:');
    await startWithKeys([key2]);
    const got = await call('GET', '/api/v1/namespaces/default/secrets/db');
    expect(got.status).toBe(200);
    expect(Buffer.from(got.body.data.password, 'base64').toString()).toBe('hunter2-very-secret');
  });

  it('kubectl create secret generic --from-literal and create configmap --from-file work; tables show no values', async () => {
    const kubeconfig = api!.kubeconfigPath('admin');
    const kubectl = (...args: string[]) => run('kubectl', ['--kubeconfig', kubeconfig, ...args]);
    await kubectl('create', 'secret', 'generic', 'lit', '--from-literal=user=admin', '--from-literal=pass=s3cr3t-literal');
    const file = join(dir, 'app.properties');
    await writeFile(file, 'color=blue\n');
    await kubectl('create', 'configmap', 'fromfile', `--from-file=${file}`);
    const secrets = (await kubectl('get', 'secrets')).stdout;
    expect(secrets.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'TYPE', 'DATA', 'AGE']);
    expect(secrets).toMatch(/^lit\s+Opaque\s+2\s+/m);
    expect(secrets).not.toContain('s3cr3t');
    const cms = (await kubectl('get', 'configmaps')).stdout;
    expect(cms.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'DATA', 'AGE']);
    expect(cms).toMatch(/^fromfile\s+1\s+/m);
    const cm = JSON.parse((await kubectl('get', 'configmap', 'fromfile', '-o', 'json')).stdout);
    expect(cm.data['app.properties']).toBe('color=blue\n');
    expect((await rawValue('lit')).includes(Buffer.from('s3cr3t'))).toBe(false);
  });

  it('refuses bad input with 422 causes naming the field and keeps serving', async () => {
    const bad = await call('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 'bad' }, data: { token: 'not base64!' } });
    expect(bad.status).toBe(422);
    expect(bad.body.details.causes.map((c: Obj) => c.field)).toEqual(['data[token]']);
    const frozen = await call('POST', '/api/v1/namespaces/default/secrets', { metadata: { name: 'frozen' }, immutable: true, stringData: { a: 'x' } });
    expect(frozen.status).toBe(201);
    const changed = await call('PUT', '/api/v1/namespaces/default/secrets/frozen', { ...frozen.body, data: { a: Buffer.from('y').toString('base64') } });
    expect(changed.status).toBe(422);
    expect(changed.body.details.causes[0]).toMatchObject({ field: 'data', message: 'Forbidden: field is immutable when `immutable` is set' });
    expect((await call('GET', '/api/v1/namespaces/default/secrets/db')).status).toBe(200);
  });
});

describe('who may read Secrets', () => {
  it('a viewer cannot get, list or watch them (Kubernetes Forbidden), but reads ConfigMaps', async () => {
    const viewer = api!.tokens.viewer;
    const get = await call('GET', '/api/v1/namespaces/default/secrets/db', undefined, viewer);
    expect(get.status).toBe(403);
    expect(get.body.message).toBe('secrets "db" is forbidden: User "viewer" cannot get resource "secrets" in API group "" in the namespace "default"');
    expect((await call('GET', '/api/v1/namespaces/default/secrets', undefined, viewer)).status).toBe(403);
    expect((await call('GET', '/api/v1/secrets?watch=1', undefined, viewer)).status).toBe(403);
    expect((await call('GET', '/api/v1/namespaces/default/configmaps', undefined, viewer)).status).toBe(200);
  });

  it('a node reads only what pods bound to it reference, by name', async () => {
    const node = api!.tokens.node.n1;
    expect((await call('GET', '/api/v1/namespaces/default/secrets/db', undefined, node)).status).toBe(403);
    const pod = { metadata: { name: 'uses-db' }, spec: { nodeName: 'n1', containers: [{ name: 'c', image: 'busybox', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] }] } };
    expect((await call('POST', '/api/v1/namespaces/default/pods', pod)).status).toBe(201);
    expect((await call('GET', '/api/v1/namespaces/default/secrets/db', undefined, node)).status).toBe(200);
    const denied = await call('GET', '/api/v1/namespaces/default/secrets/lit', undefined, node);
    expect(denied.status).toBe(403);
    expect(denied.body.message).toContain("no relationship found between node 'n1' and this object");
    expect((await call('GET', '/api/v1/namespaces/default/secrets', undefined, node)).status).toBe(403);
    const one = await call('GET', '/api/v1/namespaces/default/secrets?fieldSelector=metadata.name%3Ddb', undefined, node);
    expect(one.status).toBe(200);
    expect(one.body.items.map((s: Obj) => s.metadata.name)).toEqual(['db']);
  });
});
