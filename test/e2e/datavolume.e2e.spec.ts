// CDI DataVolumes on a real 1-node harness cluster: a VirtualMachine's dataVolumeTemplate
// imports the KubeVirt-style containerDisk (a qcow2 under /disk/) from the local registry into
// a local volume (WaitForFirstConsumer: the import runs on the node once the VMI is
// scheduled there), the VM boots from that disk to a shell on the serial console, a file
// written there survives a stop and a start, `kubectl get dv` shows the import, and an
// import from a missing image ends Failed with the reason as an Event while its VMI waits.
// On the same cluster (it needs the same disk image): after a node agent restart, a running
// disk-booted VM that asks the node's DHCP again gets its same address.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { DISK_VM_IMAGE, RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, kubectl, Obj, waitFor } from './support';

jest.setTimeout(900_000);

let cluster: RunningCluster;
const NS = 'default';
const TOKEN = `persisted-${Date.now().toString(36)}`;

beforeAll(async () => {
  cluster = await startCluster({ nodes: 1, diskVmImage: true });
}, 600_000);

afterAll(async () => {
  await cluster?.stop();
}, 120_000);

const vmPath = (name: string) => `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachines/${name}`;
const vmiPath = (name: string) => `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances/${name}`;
const dvPath = (name: string) => `/apis/cdi.kubevirt.io/v1beta1/namespaces/${NS}/datavolumes/${name}`;

const vm = (name: string, image: string): Obj => ({
  apiVersion: 'kubevirt.io/v1',
  kind: 'VirtualMachine',
  metadata: { name },
  spec: {
    runStrategy: 'Always',
    dataVolumeTemplates: [{ metadata: { name: `${name}-root` }, spec: { source: { registry: { url: `docker://${image}` } }, storage: { resources: { requests: { storage: '512Mi' } } } } }],
    template: {
      metadata: { labels: { 'kubevirt.io/vm': name } },
      spec: {
        terminationGracePeriodSeconds: 15,
        domain: { cpu: { cores: 1 }, resources: { requests: { memory: '192Mi' } }, devices: { disks: [{ name: 'rootdisk', disk: { bus: 'virtio' } }], interfaces: [{ name: 'default', masquerade: {} }] } },
        networks: [{ name: 'default', pod: {} }],
        volumes: [{ name: 'rootdisk', dataVolume: { name: `${name}-root` } }],
      },
    },
  },
});

/** Running, and its guest's init says it is ready (the shell follows). */
async function runningVmi(name: string, notUid?: string): Promise<Obj> {
  const vmi = await waitFor(`VMI ${name} Running`, async () => {
    const obj = await getObj(cluster, vmiPath(name));
    return obj?.status?.phase === 'Running' && obj.metadata.uid !== notUid && obj;
  }, 600_000, 1000);
  await waitFor(`${name}'s guest ready`, async () => (await readFile(join(cluster.nodes[0].root, 'v', 'vms', vmi.metadata.uid, 'console.log'), 'utf8').catch(() => '')).includes('coxswain-guest: ready'), 300_000, 1000);
  return vmi;
}

/** Types `command` on the VMI's serial console until `expected` shows up in what it prints. */
async function onConsole(name: string, command: string, expected: string): Promise<void> {
  let output = '';
  // Retried: the node agent that serves the console may be (re)starting.
  const ws = await waitFor(`console of ${name} open`, () => {
    const socket = new WebSocket(`${cluster.api.url.replace('https', 'wss')}${vmiPath(name)}/console`, { headers: { authorization: `Bearer ${cluster.api.tokens.admin}` }, ca: cluster.api.ca });
    socket.on('message', (data: Buffer) => (output += data.toString()));
    return new Promise<WebSocket | false>((resolve) => {
      socket.once('open', () => resolve(socket));
      socket.once('error', () => resolve(false));
    });
  }, 120_000, 2000);
  try {
    await waitFor(`console of ${name}: ${expected}`, async () => {
      ws.send(Buffer.from(`${command}\n`));
      await new Promise((r) => setTimeout(r, 2000));
      return output.includes(expected);
    }, 300_000, 100).catch((error) => {
      throw new Error(`${(error as Error).message}; the console showed: ${JSON.stringify(output.slice(-1500))}`);
    });
  } finally {
    ws.close();
  }
}

describe('DataVolumes (CDI import from a containerDisk)', () => {
  it('a VM\'s dataVolumeTemplate imports the disk, boots to a shell, and a file written there survives stop and start', async () => {
    const created = await api(cluster, 'POST', `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachines`, vm('dvm', DISK_VM_IMAGE));
    expect(created.status).toBe(201);

    // The DataVolume is the VM's, its claim is the DataVolume's, and it is imported.
    const dv = await waitFor('DataVolume dvm-root Succeeded', async () => {
      const obj = await getObj(cluster, dvPath('dvm-root'));
      return obj?.status?.phase === 'Succeeded' && obj;
    }, 600_000, 1000);
    expect(dv.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'VirtualMachine', name: 'dvm', uid: created.body.metadata.uid, controller: true })]);
    expect(dv.status).toMatchObject({ progress: '100.0%', restartCount: 0, claimName: 'dvm-root' });
    expect(dv.status.conditions.find((c: Obj) => c.type === 'Ready').status).toBe('True');
    const claim = (await getObj(cluster, `/api/v1/namespaces/${NS}/persistentvolumeclaims/dvm-root`))!;
    expect(claim.status.phase).toBe('Bound');
    expect(claim.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'DataVolume', name: 'dvm-root', uid: dv.metadata.uid })]);
    expect(claim.metadata.annotations['cdi.kubevirt.io/storage.import.endpoint']).toBe(`docker://${DISK_VM_IMAGE}`);

    const table = await kubectl(cluster, ['get', 'dv', 'dvm-root']);
    expect(table.stdout.split('\n')[0].split(/\s+/)).toEqual(['NAME', 'PHASE', 'PROGRESS', 'RESTARTS', 'AGE']);
    expect(table.stdout.split('\n')[1].split(/\s+/).slice(0, 4)).toEqual(['dvm-root', 'Succeeded', '100.0%', '0']);

    const first = await runningVmi('dvm');
    await onConsole('dvm', `echo ${TOKEN} > /dv-marker && sync && echo wrote-$((40+2))`, 'wrote-42');

    expect((await api(cluster, 'PUT', `${vmPath('dvm')}/stop`, {})).status).toBe(202);
    await waitFor('VMI dvm gone', async () => !(await getObj(cluster, vmiPath('dvm'))), 180_000, 1000);
    // Stopped: the DataVolume and its claim stay.
    expect((await getObj(cluster, dvPath('dvm-root')))?.status?.phase).toBe('Succeeded');

    expect((await api(cluster, 'PUT', `${vmPath('dvm')}/start`, {})).status).toBe(202);
    await runningVmi('dvm', first.metadata.uid);
    await onConsole('dvm', 'echo "found $(cat /dv-marker)"', `found ${TOKEN}`);
    // Imported once: the claim's disk was not replaced on the second boot.
    expect((await getObj(cluster, dvPath('dvm-root')))!.metadata.uid).toBe(dv.metadata.uid);

    // Deleting the VM deletes its DataVolume and, with it, the claim.
    expect((await kubectl(cluster, ['delete', 'vm', 'dvm', '--wait=true', '--timeout=180s'])).code).toBe(0);
    await waitFor('DataVolume and claim deleted with the VM', async () => !(await getObj(cluster, dvPath('dvm-root'))) && !(await getObj(cluster, `/api/v1/namespaces/${NS}/persistentvolumeclaims/dvm-root`)), 180_000, 1000);
  });

  it('an import from a missing image ends Failed with the reason as an Event; its VMI waits and says why', async () => {
    expect((await api(cluster, 'POST', `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachines`, vm('broken', 'coxswain/no-such-disk:latest'))).status).toBe(201);
    const failed = await waitFor('DataVolume broken-root Failed', async () => {
      const obj = await getObj(cluster, dvPath('broken-root'));
      return obj?.status?.phase === 'Failed' && obj;
    }, 300_000, 1000);
    expect(failed.status.conditions.find((c: Obj) => c.type === 'Running')).toMatchObject({ status: 'False', reason: 'Error' });
    const events = await waitFor('ErrImportFailed event', async () => {
      const list = await getObj(cluster, `/api/v1/namespaces/${NS}/events?fieldSelector=involvedObject.name%3Dbroken-root`);
      const found = (list?.items ?? []).filter((e: Obj) => e.reason === 'ErrImportFailed');
      return found.length > 0 && found;
    }, 60_000, 1000);
    expect(events[0].type).toBe('Warning');
    expect(events[0].message).toMatch(/^Unable to import into PVC default\/broken-root: Unable to pull coxswain\/no-such-disk:latest: /);
    expect(events[0].involvedObject).toMatchObject({ kind: 'DataVolume', apiVersion: 'cdi.kubevirt.io/v1beta1' });

    // The VMI is not failed: it waits, with the reason on its Ready condition.
    const waiting = await waitFor('VMI broken waits with the reason', async () => {
      const obj = await getObj(cluster, vmiPath('broken'));
      const ready = (obj?.status?.conditions ?? []).find((c: Obj) => c.type === 'Ready');
      return String(ready?.message ?? '').includes('import failed') && obj;
    }, 120_000, 1000);
    expect(waiting.status.phase).toBe('Scheduled');

    const table = await kubectl(cluster, ['get', 'dv']);
    expect(table.stdout).toMatch(/broken-root\s+Failed\s+N\/A\s+0\s/);
  });
});

describe('the node\'s DHCP responder across an agent restart', () => {
  it('re-registers a running VM\'s lease: the guest renews and keeps its address', async () => {
    const vmi = {
      apiVersion: 'kubevirt.io/v1',
      kind: 'VirtualMachineInstance',
      metadata: { name: 'dhcp-restart' },
      spec: {
        terminationGracePeriodSeconds: 5,
        domain: { cpu: { cores: 1 }, resources: { requests: { memory: '192Mi' } }, devices: { disks: [{ name: 'rootdisk', disk: { bus: 'virtio' } }], interfaces: [{ name: 'default', masquerade: {} }] } },
        networks: [{ name: 'default', pod: {} }],
        volumes: [{ name: 'rootdisk', containerDisk: { image: DISK_VM_IMAGE } }],
      },
    };
    expect((await api(cluster, 'POST', `/apis/kubevirt.io/v1/namespaces/${NS}/virtualmachineinstances`, vmi)).status).toBe(201);
    const running = await runningVmi('dhcp-restart');
    const ip = running.status.interfaces[0].ipAddress;
    await onConsole('dhcp-restart', 'echo up-$((40+2))', 'up-42');

    await cluster.nodes[0].stop();
    await cluster.nodes[0].start();
    // udhcpc exits 0 only with a lease (-n); the address it was offered is printed.
    await onConsole('dhcp-restart', 'udhcpc -i eth0 -n -q -t 5 -s /bin/true 2>&1 | grep -o "lease of [0-9.]*"', `lease of ${ip}`);
    expect((await getObj(cluster, vmiPath('dhcp-restart')))!.metadata.uid).toBe(running.metadata.uid);
  });
});
