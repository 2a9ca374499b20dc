// ConfigMaps and Secrets on a real 2-node harness cluster: env and mounted files from both
// (an update shows up in the mounted file), Secrets unreadable by the viewer token and not
// plaintext in etcd, a missing key holding a container in CreateContainerConfigError until the
// ConfigMap exists, emptyDir shared by two containers, hostPath refusal and PVC volume validation.
import { readFile } from 'node:fs/promises';
import { Etcd3 } from 'etcd3';
import { request } from 'undici';
import { RunningCluster, startCluster, tlsDispatcher } from '@coxswain/harness';
import { api, getObj, k, kubectl, Obj, waitFor } from './support';

jest.setTimeout(240_000);

let cluster: RunningCluster;
const NS = 'cfg';

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, vms: false });
  await k(cluster, 'create', 'namespace', NS);
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
}, 120_000);

const podPath = (name: string) => `/api/v1/namespaces/${NS}/pods/${name}`;
const isRunning = async (name: string) => (await getObj(cluster, podPath(name)))?.status?.phase === 'Running';
const exec = (pod: string, script: string, container?: string) => k(cluster, '-n', NS, 'exec', pod, ...(container ? ['-c', container] : []), '--', 'sh', '-c', script);

async function createPod(spec: Obj, name: string): Promise<void> {
  const res = await api(cluster, 'POST', `/api/v1/namespaces/${NS}/pods`, { apiVersion: 'v1', kind: 'Pod', metadata: { name }, spec: { terminationGracePeriodSeconds: 1, ...spec } });
  if (res.status !== 201) throw new Error(`create pod ${name}: ${res.status} ${JSON.stringify(res.body)}`);
}

describe('ConfigMap and Secret in a pod', () => {
  it('gives env and mounted files from both; a ConfigMap update reaches the mounted file in place', async () => {
    await k(cluster, '-n', NS, 'create', 'configmap', 'app', '--from-literal=color=blue', '--from-literal=greeting=hello');
    await k(cluster, '-n', NS, 'create', 'secret', 'generic', 'db', '--from-literal=password=hunter2-e2e', '--from-literal=user=admin');
    await createPod({
      nodeName: 'node-2',
      containers: [{
        name: 'app',
        image: 'busybox',
        command: ['sh', '-c', 'echo "$(GREETING) from $(POD_NAME)"; exec sleep 3600'],
        env: [
          { name: 'COLOR', valueFrom: { configMapKeyRef: { name: 'app', key: 'color' } } },
          { name: 'PASSWORD', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } },
          { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
          { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
          { name: 'GREETING', valueFrom: { configMapKeyRef: { name: 'app', key: 'greeting' } } },
        ],
        envFrom: [{ secretRef: { name: 'db' }, prefix: 'DB_' }],
        volumeMounts: [
          { name: 'config', mountPath: '/etc/app' },
          { name: 'creds', mountPath: '/etc/creds' },
          { name: 'pinned', mountPath: '/etc/pinned-color', subPath: 'color' },
        ],
      }],
      volumes: [
        { name: 'config', configMap: { name: 'app' } },
        { name: 'creds', secret: { secretName: 'db', defaultMode: 0o400, items: [{ key: 'password', path: 'db/password' }] } },
        { name: 'pinned', configMap: { name: 'app' } },
      ],
    }, 'consumer');
    await waitFor('consumer Running', () => isRunning('consumer'), 90_000);

    const env = Object.fromEntries((await exec('consumer', 'env')).trim().split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(env).toMatchObject({ COLOR: 'blue', PASSWORD: 'hunter2-e2e', POD_NAME: 'consumer', NODE: 'node-2', DB_password: 'hunter2-e2e', DB_user: 'admin' });
    expect(await k(cluster, '-n', NS, 'logs', 'consumer')).toBe('hello from consumer\n');

    expect(await exec('consumer', 'cat /etc/app/color; echo; cat /etc/creds/db/password; echo; stat -c %a "$(readlink -f /etc/creds/db/password)"')).toBe('blue\nhunter2-e2e\n400\n');
    expect(await exec('consumer', 'readlink /etc/app/color; readlink /etc/app/..data | grep -c "^\\.\\.20"')).toBe('..data/color\n1\n');
    expect(await exec('consumer', 'grep " /etc/creds " /proc/mounts | cut -d" " -f3')).toBe('tmpfs\n');

    await k(cluster, '-n', NS, 'patch', 'configmap', 'app', '-p', '{"data":{"color":"green"}}');
    await waitFor('mounted file updated', async () => (await exec('consumer', 'cat /etc/app/color')) === 'green', 60_000, 500);
    // A subPath mount is a bind of the file itself: it keeps the old content, as in Kubernetes.
    expect(await exec('consumer', 'cat /etc/pinned-color')).toBe('blue');
  });
});

describe('Secret protection', () => {
  it('is not plaintext in etcd', async () => {
    const raw = new Etcd3({ hosts: cluster.etcd.endpoint });
    try {
      const value = (await raw.get(`/registry/core/secrets/${NS}/db`).buffer())!;
      expect(value.subarray(0, 18).toString()).toBe('k8s:enc:aesgcm:v1:');
      for (const needle of ['hunter2-e2e', Buffer.from('hunter2-e2e').toString('base64'), 'password']) expect(value.includes(Buffer.from(needle))).toBe(false);
    } finally {
      raw.close();
    }
  });

  it('is not readable with the viewer token (get, list), while ConfigMaps are', async () => {
    expect((await kubectl(cluster, ['-n', NS, 'get', 'configmap', 'app'], { role: 'viewer' })).code).toBe(0);
    const get = await kubectl(cluster, ['-n', NS, 'get', 'secret', 'db', '-o', 'yaml'], { role: 'viewer' });
    expect(get.code).not.toBe(0);
    expect(get.stderr).toContain('secrets "db" is forbidden: User "viewer" cannot get resource "secrets" in API group "" in the namespace "cfg"');
    expect(get.stdout).not.toContain('aHVudGVy');
    const list = await kubectl(cluster, ['-n', NS, 'get', 'secrets'], { role: 'viewer' });
    expect(list.code).not.toBe(0);
    expect(list.stderr).toContain('forbidden');
  });

  it('a node token reads only Secrets of pods bound to that node', async () => {
    const asNode = async (node: string, path: string) => {
      const res = await request(`${cluster.api.url}${path}`, { headers: { authorization: `Bearer ${cluster.api.tokens.node[node]}` }, dispatcher: tlsDispatcher(cluster.api.ca!) });
      await res.body.text();
      return res.statusCode;
    };
    expect(await asNode('node-2', `/api/v1/namespaces/${NS}/secrets/db`)).toBe(200);
    expect(await asNode('node-1', `/api/v1/namespaces/${NS}/secrets/db`)).toBe(403);
    expect(await asNode('node-2', `/api/v1/namespaces/${NS}/secrets`)).toBe(403);
  });
});

describe('missing references', () => {
  it('a missing ConfigMap key holds the container in CreateContainerConfigError until it exists', async () => {
    await k(cluster, '-n', NS, 'create', 'configmap', 'late', '--from-literal=other=x');
    await createPod({ containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', 'echo "mode=$MODE"; exec sleep 3600'], env: [{ name: 'MODE', valueFrom: { configMapKeyRef: { name: 'late', key: 'mode' } } }] }] }, 'waiter');
    const waiting = await waitFor('CreateContainerConfigError', async () => {
      const w = (await getObj(cluster, podPath('waiter')))?.status?.containerStatuses?.[0]?.state?.waiting;
      return w?.reason === 'CreateContainerConfigError' && w;
    }, 90_000);
    expect(waiting.message).toBe(`couldn't find key mode in ConfigMap ${NS}/late`);
    const events = await api(cluster, 'GET', `/api/v1/namespaces/${NS}/events?fieldSelector=involvedObject.name%3Dwaiter`);
    expect(events.body.items.some((e: Obj) => e.reason === 'Failed' && e.message === `Error: couldn't find key mode in ConfigMap ${NS}/late`)).toBe(true);
    await k(cluster, '-n', NS, 'patch', 'configmap', 'late', '-p', '{"data":{"mode":"ready"}}');
    await waitFor('waiter Running', () => isRunning('waiter'), 90_000);
    await waitFor('logs', async () => (await k(cluster, '-n', NS, 'logs', 'waiter')) === 'mode=ready\n', 30_000);
  });
});

describe('emptyDir', () => {
  it('is shared by two containers of a pod (disk and memory-backed)', async () => {
    await createPod({
      containers: [
        { name: 'writer', image: 'busybox', command: ['sh', '-c', 'echo from-writer > /shared/msg; echo ram > /ram/msg; exec sleep 3600'], volumeMounts: [{ name: 'shared', mountPath: '/shared' }, { name: 'ram', mountPath: '/ram' }] },
        { name: 'reader', image: 'busybox', command: ['sh', '-c', 'exec sleep 3600'], volumeMounts: [{ name: 'shared', mountPath: '/data' }, { name: 'ram', mountPath: '/ram' }] },
      ],
      volumes: [{ name: 'shared', emptyDir: {} }, { name: 'ram', emptyDir: { medium: 'Memory', sizeLimit: '8Mi' } }],
    }, 'sharing');
    await waitFor('sharing Running', () => isRunning('sharing'), 90_000);
    await waitFor('file shared', async () => (await exec('sharing', 'cat /data/msg /ram/msg', 'reader')) === 'from-writer\nram\n', 30_000);
    expect(await exec('sharing', 'grep " /ram " /proc/mounts | cut -d" " -f3,4 | cut -d, -f1,2', 'reader')).toMatch(/^tmpfs rw,(size|relatime)/);
    expect(await exec('sharing', 'df -k /ram | tail -1 | awk "{print \\$2}"', 'reader')).toBe('8192\n');
    // Deleted, the pod leaves nothing mounted on the host: its rootfs, namespaces and the tmpfs.
    const uid = (await getObj(cluster, podPath('sharing')))!.metadata.uid;
    expect((await kubectl(cluster, ['-n', NS, 'delete', 'pod', 'sharing', '--wait=true', '--timeout=60s'])).code).toBe(0);
    const mounted = async () => (await readFile('/proc/self/mountinfo', 'utf8')).split('\n').filter((line) => line.includes(uid));
    await waitFor('nothing of the pod mounted', async () => (await mounted()).length === 0, 30_000);
  });
});

describe('refused volumes', () => {
  const hostPathPod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'host', namespace: NS }, spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'h', hostPath: { path: '/etc' } }] } };

  it('hostPath is refused for a non-admin token', async () => {
    const res = await request(`${cluster.api.url}/api/v1/namespaces/${NS}/pods`, {
      method: 'POST',
      headers: { authorization: `Bearer ${cluster.api.tokens.viewer}`, 'content-type': 'application/json' },
      body: JSON.stringify(hostPathPod),
      dispatcher: tlsDispatcher(cluster.api.ca!),
    });
    const body = (await res.body.json()) as Obj;
    expect(res.statusCode).toBe(403);
    expect(body.reason).toBe('Forbidden');
    // The admin may (dry run: nothing is started).
    expect((await api(cluster, 'POST', `/api/v1/namespaces/${NS}/pods?dryRun=All`, hostPathPod)).status).toBe(201);
  });

  it('a persistentVolumeClaim volume is accepted (storage.e2e runs it) and one without claimName is a 422 naming the field', async () => {
    const volumes = (source: Obj) => ({ ...hostPathPod, metadata: { name: 'pvc' }, spec: { containers: [{ name: 'c', image: 'busybox' }], volumes: [{ name: 'd', persistentVolumeClaim: source }] } });
    expect((await api(cluster, 'POST', `/api/v1/namespaces/${NS}/pods?dryRun=All`, volumes({ claimName: 'data' }))).status).toBe(201);
    const res = await api(cluster, 'POST', `/api/v1/namespaces/${NS}/pods`, volumes({}));
    expect(res.status).toBe(422);
    expect(res.body.details.causes[0].field).toBe('spec.volumes[0].persistentVolumeClaim.claimName');
  });
});
