// Real-world images by the names users write: `kubectl run` of debian:bookworm-slim and an
// nginx Deployment answering another pod on its pod IP. The images come from the local
// registry mirror, built offline from Debian packages (cached under .fixtures/debian).
import { RunningCluster, startCluster } from '@coxswain/harness';
import { getObj, k, kubectl, manifest, Obj, waitFor } from './support';

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
