// Real-world images by the names users write: `kubectl run` of debian:bookworm-slim and an
// nginx Deployment answering another pod on its pod IP. The images come from the local
// registry mirror, built offline from Debian packages (cached under .fixtures/debian).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Header } from 'tar';
import { buildImageFromLayerTars, pushImage, RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, k, kubectl, manifest, Obj, waitFor } from './support';

// The first run on a machine builds the Debian images (minutes); later runs reuse them.
jest.setTimeout(20 * 60_000);

let cluster: RunningCluster;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, vms: false, debianImages: true });
});

afterAll(async () => {
  await cluster?.stop();
});

const pod = (name: string) => getObj(cluster, `/api/v1/namespaces/default/pods/${name}`);

describe('Debian-based images', () => {
  it('kubectl run debian:bookworm-slim runs bash from the image', async () => {
    await k(cluster, 'run', 'deb', '--image=debian:bookworm-slim', '--restart=Never', '--', '/bin/bash', '-c', 'cat /etc/debian_version; exec sleep 3600');
    const running = await waitFor('deb Running', async () => {
      const p = await pod('deb');
      return p?.status?.phase === 'Running' && p;
    }, 300_000);
    expect(running.spec.containers[0].image).toBe('debian:bookworm-slim');
    const logs = await waitFor('debian_version in the log', async () => {
      const out = await kubectl(cluster, ['logs', 'deb']);
      return /^12\.\d+$/m.test(out.stdout) && out.stdout;
    });
    expect(logs).toMatch(/^12\.\d+\n$/);
    expect((await k(cluster, 'exec', 'deb', '--', '/bin/bash', '-c', 'readlink /usr/lib64/ld-linux-x86-64.so.2')).trim()).toBe('/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2');
  });

  it('an nginx Deployment serves its page to another pod by pod IP', async () => {
    const node = (await pod('deb'))!.spec.nodeName as string;
    // Beside the client: pod routes between nodes are another part of the network work.
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: nginx
spec:
  replicas: 1
  selector:
    matchLabels: {app: nginx}
  template:
    metadata:
      labels: {app: nginx}
    spec:
      nodeSelector: {kubernetes.io/hostname: ${node}}
      containers:
      - name: nginx
        image: nginx
        ports:
        - containerPort: 80
        readinessProbe:
          httpGet: {path: /, port: 80}
          periodSeconds: 1
`;
    await k(cluster, 'apply', '-f', await manifest(deployment));
    const ready = await waitFor('an nginx pod Ready', async () => {
      const list = (await getObj(cluster, '/api/v1/namespaces/default/pods?labelSelector=app%3Dnginx'))?.items as Obj[] | undefined;
      return list?.find((p) => p.status?.conditions?.some((c: Obj) => c.type === 'Ready' && c.status === 'True'));
    }, 300_000);
    const ip = ready.status.podIP as string;
    expect(ip).toMatch(/^10\.\d+\.\d+\.\d+$/);
    const page = await k(cluster, 'exec', 'deb', '--', '/bin/bash', '-c', `exec 3<>/dev/tcp/${ip}/80 && printf 'GET / HTTP/1.0\\r\\nHost: nginx\\r\\n\\r\\n' >&3 && cat <&3`);
    expect(page).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(page).toContain('Welcome to nginx!');
    // nginx logs to the container's stdout, as the official image does.
    const logs = await waitFor('access log line', async () => {
      const out = await kubectl(cluster, ['logs', ready.metadata.name]);
      return out.stdout.includes('"GET / HTTP/1.0" 200') && out.stdout;
    });
    expect(logs).toContain('"GET / HTTP/1.0" 200');
  });
});

describe('a hostile image', () => {
  it('fails to pull with ErrImagePull and the reason, and the node keeps running pods', async () => {
    // A layer with a symlink to the node's /etc, then a file written "through" it.
    const work = await mkdtemp(join(tmpdir(), 'cox-e2e-hostile-'));
    try {
      const header = (path: string, type: 'SymbolicLink' | 'File', size: number, linkpath = '') => {
        const b = Buffer.alloc(512);
        new Header({ path, type, size, mode: 0o644, uid: 0, gid: 0, mtime: new Date(0), linkpath }).encode(b);
        return b;
      };
      const body = Buffer.from('pwned\n');
      const tar = join(work, 'layer.tar');
      await writeFile(tar, Buffer.concat([header('host-etc', 'SymbolicLink', 0, '/etc'), header('host-etc/cox-e2e-pwned', 'File', body.length), body, Buffer.alloc(512 - body.length), Buffer.alloc(1024)]));
      const layout = await buildImageFromLayerTars([tar], join(work, 'oci'), { cmd: ['sh'] });
      await pushImage(cluster.registry.url, layout.dir, 'library/hostile:latest');
    } finally {
      await rm(work, { recursive: true, force: true });
    }
    const res = await api(cluster, 'POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'hostile' },
      spec: { containers: [{ name: 'app', image: 'hostile' }] },
    });
    expect(res.status).toBe(201);
    const waiting = await waitFor('ErrImagePull', async () => {
      const w = (await pod('hostile'))?.status?.containerStatuses?.[0]?.state?.waiting;
      return (w?.reason === 'ErrImagePull' || w?.reason === 'ImagePullBackOff') && w;
    }, 120_000);
    expect(waiting.message).toContain('"host-etc/cox-e2e-pwned" would be written through symlink "host-etc"');
    // Nothing reached the node's /etc (nodes share this machine's filesystem).
    await expect(import('node:fs/promises').then((fs) => fs.stat('/etc/cox-e2e-pwned'))).rejects.toThrow();
    // The node still runs other pods.
    await k(cluster, 'run', 'after', '--image=busybox', '--restart=Never', '--', 'sh', '-c', 'echo still-fine; exec sleep 3600');
    await waitFor('pod after Running', async () => (await pod('after'))?.status?.phase === 'Running', 120_000);
  });
});
