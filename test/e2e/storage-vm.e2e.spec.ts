// A VMI's persistentVolumeClaim disk on a real 2-node harness cluster: the tiny guest's
// cloud-init script writes a marker to its first virtio disk (the claim's disk.img); the VMI is
// deleted and a new one on the same claim finds the marker. The tiny guest has no filesystem
// tools, so the data is proven at the block level, in the guest and in the image on the node.
import { open, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, k, Obj, waitFor } from './support';

jest.setTimeout(420_000);

let cluster: RunningCluster;
const NS = 'vmstore';
const TOKEN = `MARK-${Date.now().toString(36)}`;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2 });
  await k(cluster, 'create', 'namespace', NS);
}, 420_000);

afterAll(async () => {
  await cluster?.stop();
}, 120_000);

const vmiPath = (name: string) => `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances/${name}`;

// Reads the disk's first bytes; writes the marker when it is not there yet.
const userData = `#!/bin/sh
got=$(dd if=/dev/vda bs=32 count=1 2>/dev/null | tr -d '\\000')
case "$got" in
  MARK-*) echo "coxswain-pvc: found $got" ;;
  *) printf '%s' '${TOKEN}' | dd of=/dev/vda bs=32 count=1 conv=notrunc 2>/dev/null; sync; echo "coxswain-pvc: wrote" ;;
esac
`;

const vmi = (name: string): Obj => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachineInstance',
  metadata: { name, namespace: NS },
  spec: {
    terminationGracePeriodSeconds: 10,
    domain: {
      cpu: { cores: 1 },
      resources: { requests: { memory: '128Mi' } },
      firmware: { kernelBoot: { container: { image: 'coxswain/tiny-vm:latest', kernelPath: '/boot/vmlinuz', initrdPath: '/boot/initrd.img' }, kernelArgs: 'console=ttyS0' } },
      devices: { disks: [{ name: 'data', disk: { bus: 'virtio' } }] },
    },
    volumes: [
      { name: 'data', persistentVolumeClaim: { claimName: 'vmdisk' } },
      { name: 'cloudinit', cloudInitNoCloud: { userData } },
    ],
  },
});

async function runUntilConsole(name: string, text: string): Promise<Obj> {
  const res = await api(cluster, 'POST', `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances`, vmi(name));
  expect(res.status).toBe(201);
  const running = await waitFor(`${name} Running`, async () => {
    const obj = await getObj(cluster, vmiPath(name));
    return obj?.status?.phase === 'Running' && obj;
  }, 240_000, 500);
  const node = cluster.nodes.find((n) => n.name === running.status.nodeName)!;
  await waitFor(`${name} console: ${text}`, async () => (await readFile(join(node.root, 'v', 'vms', running.metadata.uid, 'console.log'), 'utf8').catch(() => '')).includes(text), 180_000, 1000);
  return running;
}

describe('VMI persistentVolumeClaim disk', () => {
  it('a marker written by one VMI is read by the next, and is in the claim\'s disk.img', async () => {
    const claim = await api(cluster, 'POST', `/api/v1/namespaces/${NS}/persistentvolumeclaims`, { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'vmdisk' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } } });
    expect(claim.status).toBe(201);

    const first = await runUntilConsole('writer', 'coxswain-pvc: wrote');
    expect((await k(cluster, '-n', NS, 'delete', 'vmi', 'writer', '--wait=true', '--timeout=120s')).length).toBeGreaterThan(0);

    const second = await runUntilConsole('reader', `coxswain-pvc: found ${TOKEN}`);
    expect(second.status.nodeName).toBe(first.status.nodeName);

    // On the node: the claim's volume holds disk.img, and its first bytes are the marker.
    const bound = (await getObj(cluster, `/api/v1/namespaces/${NS}/persistentvolumeclaims/vmdisk`))!;
    const node = cluster.nodes.find((n) => n.name === second.status.nodeName)!;
    const image = await open(join(node.root, 'local-volumes', bound.spec.volumeName, 'mnt', 'disk.img'));
    try {
      const head = Buffer.alloc(TOKEN.length);
      await image.read(head, 0, head.length, 0);
      expect(head.toString()).toBe(TOKEN);
      // 64Mi less KubeVirt's 5.5 % overhead, or the ext4 filesystem's free space if smaller.
      const size = (await image.stat()).size;
      expect(size % (1024 * 1024)).toBe(0);
      expect(size).toBeLessThanOrEqual(60 * 1024 * 1024);
    } finally {
      await image.close();
    }
  });
});
