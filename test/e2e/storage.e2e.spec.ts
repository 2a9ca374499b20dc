// PersistentVolumeClaims on a real 2-node harness cluster: the built-in default class
// `local-path` (WaitForFirstConsumer, node-local ext4 images), a pod writing to its claim,
// deleted and recreated (placed back on the volume's node by the scheduler) reading its data,
// ENOSPC inside a full volume, pvc-protection holding a claim in use, Delete reclaim removing
// the volume and its image, StatefulSet claims and their retention policy (kept by default,
// deleted with a scaled-away pod or the set under Delete), and a missing claim reported by the
// scheduler.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { RunningCluster, startCluster } from '@coxswain/harness';
import { api, getObj, k, Obj, waitFor } from './support';

jest.setTimeout(300_000);

let cluster: RunningCluster;
const NS = 'storage';

beforeAll(async () => {
  cluster = await startCluster({ nodes: 2, vms: false });
  await k(cluster, 'create', 'namespace', NS);
}, 300_000);

afterAll(async () => {
  await cluster?.stop();
}, 120_000);

const podPath = (name: string) => `/api/v1/namespaces/${NS}/pods/${name}`;
const claimPath = (name: string) => `/api/v1/namespaces/${NS}/persistentvolumeclaims/${name}`;
const exec = (pod: string, script: string) => k(cluster, '-n', NS, 'exec', pod, '--', 'sh', '-c', script);

async function create(path: string, body: Obj): Promise<void> {
  const res = await api(cluster, 'POST', `/api/v1/namespaces/${NS}/${path}`, body);
  if (res.status !== 201) throw new Error(`create ${path}: ${res.status} ${JSON.stringify(res.body)}`);
}

const claim = (name: string, size = '64Mi') => ({ apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } } });
const podWith = (name: string, claimName: string, command: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name },
  spec: {
    terminationGracePeriodSeconds: 1,
    containers: [{ name: 'app', image: 'busybox', command: ['sh', '-c', command], volumeMounts: [{ name: 'data', mountPath: '/data' }] }],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
  },
});
const running = async (name: string) => {
  const pod = await getObj(cluster, podPath(name));
  return pod?.status?.phase === 'Running' ? pod : undefined;
};
const gone = async (path: string) => (await api(cluster, 'GET', path)).status === 404;

describe('local-path volumes', () => {
  it('serves the default class and lists it as kubectl does', async () => {
    const out = await k(cluster, 'get', 'storageclass');
    expect(out).toMatch(/^NAME\s+PROVISIONER\s+RECLAIMPOLICY\s+VOLUMEBINDINGMODE\s+ALLOWVOLUMEEXPANSION\s+AGE\n/);
    expect(out).toMatch(/local-path \(default\)\s+coxswain\.io\/local\s+Delete\s+WaitForFirstConsumer\s+false/);
  });

  it('a pod writes to its claim; recreated, it lands on the same node and reads the data back; a full volume is ENOSPC', async () => {
    await create('persistentvolumeclaims', claim('data'));
    const pending = (await getObj(cluster, claimPath('data')))!;
    expect(pending.spec.storageClassName).toBe('local-path');
    expect(pending.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    await waitFor('WaitForFirstConsumer event', async () => (await k(cluster, '-n', NS, 'get', 'events', '--field-selector', 'involvedObject.name=data')).includes('WaitForFirstConsumer'), 30_000, 500);
    expect((await getObj(cluster, claimPath('data')))!.status.phase).toBe('Pending');

    await create('pods', podWith('writer', 'data', 'echo persisted-$(hostname) > /data/file && sync && exec sleep 3600'));
    const writer = await waitFor('writer Running', () => running('writer'), 120_000, 500);
    const bound = (await getObj(cluster, claimPath('data')))!;
    expect(bound.status).toMatchObject({ phase: 'Bound', capacity: { storage: '64Mi' }, accessModes: ['ReadWriteOnce'] });
    expect(bound.metadata.annotations['volume.kubernetes.io/selected-node']).toBe(writer.spec.nodeName);
    const pv = (await getObj(cluster, `/api/v1/persistentvolumes/${bound.spec.volumeName}`))!;
    expect(pv.spec.nodeAffinity.required.nodeSelectorTerms[0].matchExpressions[0].values).toEqual([writer.spec.nodeName]);
    expect(pv.spec.claimRef).toMatchObject({ namespace: NS, name: 'data', uid: bound.metadata.uid });
    expect(await k(cluster, '-n', NS, 'get', 'pvc', 'data')).toMatch(new RegExp(`data\\s+Bound\\s+${bound.spec.volumeName}\\s+64Mi\\s+RWO\\s+local-path`));

    // The size is the volume's, not the node's: writing past it fails inside the pod.
    expect(await exec('writer', 'dd if=/dev/zero of=/data/big bs=1M count=128 2>&1; echo rc=$?')).toMatch(/No space left on device[\s\S]*rc=1/);
    await exec('writer', 'rm -f /data/big');

    await k(cluster, '-n', NS, 'delete', 'pod', 'writer', '--wait=true');
    await create('pods', podWith('reader', 'data', 'cat /data/file; exec sleep 3600'));
    const reader = await waitFor('reader Running', () => running('reader'), 120_000, 500);
    expect(reader.spec.nodeName).toBe(writer.spec.nodeName);
    expect(await exec('reader', 'cat /data/file')).toBe('persisted-writer\n');
  });

  it('deleting a claim in use waits for its pod; then Delete reclaim removes the volume and its image', async () => {
    const bound = (await getObj(cluster, claimPath('data')))!;
    const pvName = bound.spec.volumeName;
    const node = cluster.nodes.find((n) => n.name === bound.metadata.annotations['volume.kubernetes.io/selected-node'])!;
    const image = join(node.root, 'local-volumes', pvName, 'disk.ext4');
    expect((await stat(image)).size).toBe(64 * 1024 * 1024);

    await k(cluster, '-n', NS, 'delete', 'pvc', 'data', '--wait=false');
    await new Promise((r) => setTimeout(r, 3000));
    const held = (await getObj(cluster, claimPath('data')))!;
    expect(held.metadata.deletionTimestamp).toBeDefined();
    expect(held.metadata.finalizers).toEqual(['kubernetes.io/pvc-protection']);
    expect(await k(cluster, '-n', NS, 'get', 'pvc', 'data')).toMatch(/data\s+Terminating/);
    expect(await running('reader')).toBeDefined();

    await k(cluster, '-n', NS, 'delete', 'pod', 'reader', '--wait=true');
    await waitFor('claim gone', () => gone(claimPath('data')), 60_000, 500);
    await waitFor('volume gone', () => gone(`/api/v1/persistentvolumes/${pvName}`), 60_000, 500);
    await expect(stat(image)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('StatefulSet claims bind and their pods run', async () => {
    const res = await api(cluster, 'POST', `/apis/apps/v1/namespaces/${NS}/statefulsets`, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db' },
      spec: {
        replicas: 2,
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: { metadata: { labels: { app: 'db' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'db', image: 'busybox', command: ['sh', '-c', 'hostname > /var/lib/db/owner; cat /var/lib/db/owner; exec sleep 3600'], volumeMounts: [{ name: 'state', mountPath: '/var/lib/db' }] }] } },
        volumeClaimTemplates: [{ metadata: { name: 'state' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '32Mi' } } } }],
      },
    });
    expect(res.status).toBe(201);
    for (const ordinal of [0, 1]) {
      await waitFor(`db-${ordinal} Running`, () => running(`db-${ordinal}`), 180_000, 500);
      expect((await getObj(cluster, claimPath(`state-db-${ordinal}`)))!.status.phase).toBe('Bound');
      // Written to and read back from the claim by the pod itself.
      expect(await k(cluster, '-n', NS, 'logs', `db-${ordinal}`)).toBe(`db-${ordinal}\n`);
    }
  });

  it('the default retention policy keeps a StatefulSet\'s claims when it is scaled down and when it is deleted', async () => {
    await k(cluster, '-n', NS, 'scale', 'statefulset', 'db', '--replicas=1');
    await waitFor('db-1 gone', () => gone(podPath('db-1')), 60_000, 500);
    await k(cluster, '-n', NS, 'delete', 'statefulset', 'db', '--wait=true');
    await waitFor('db-0 gone', () => gone(podPath('db-0')), 60_000, 500);
    // Give the garbage collector time to act on anything it would have.
    await new Promise((r) => setTimeout(r, 3000));
    for (const name of ['state-db-0', 'state-db-1']) {
      const kept = (await getObj(cluster, claimPath(name)))!;
      expect(kept.metadata.deletionTimestamp).toBeUndefined();
      expect(kept.metadata.ownerReferences ?? []).toEqual([]);
      expect(kept.status.phase).toBe('Bound');
    }
  });

  it('whenScaled: Delete removes a scaled-away pod\'s claim after the pod; whenDeleted: Delete removes the rest with the set', async () => {
    const res = await api(cluster, 'POST', `/apis/apps/v1/namespaces/${NS}/statefulsets`, {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'web' },
      spec: {
        replicas: 2,
        serviceName: 'web',
        selector: { matchLabels: { app: 'web' } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' },
        template: { metadata: { labels: { app: 'web' } }, spec: { terminationGracePeriodSeconds: 1, containers: [{ name: 'web', image: 'busybox', command: ['sh', '-c', 'hostname > /data/owner; exec sleep 3600'], volumeMounts: [{ name: 'data', mountPath: '/data' }] }] } },
        volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '32Mi' } } } }],
      },
    });
    expect(res.status).toBe(201);
    const sts = res.body;
    const volumes: string[] = [];
    for (const ordinal of [0, 1]) {
      await waitFor(`web-${ordinal} Running`, () => running(`web-${ordinal}`), 180_000, 500);
      const bound = (await getObj(cluster, claimPath(`data-web-${ordinal}`)))!;
      expect(bound.status.phase).toBe('Bound');
      expect(bound.metadata.ownerReferences).toEqual([{ apiVersion: 'apps/v1', kind: 'StatefulSet', name: 'web', uid: sts.metadata.uid, controller: true, blockOwnerDeletion: true }]);
      volumes.push(bound.spec.volumeName);
    }

    // 2 → 1: web-1's claim passes to web-1 before it is deleted, and goes after it (its volume with it: Delete reclaim).
    const web1 = (await getObj(cluster, podPath('web-1')))!;
    await k(cluster, '-n', NS, 'scale', 'statefulset', 'web', '--replicas=1');
    const handedOver = await waitFor('data-web-1 owned by web-1', async () => {
      const c = await getObj(cluster, claimPath('data-web-1'));
      return c?.metadata.ownerReferences?.some((r: Obj) => r.kind === 'Pod') ? c : undefined;
    }, 60_000, 200);
    expect(handedOver.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'Pod', name: 'web-1', uid: web1.metadata.uid, controller: true, blockOwnerDeletion: true }]);
    await waitFor('web-1 gone', () => gone(podPath('web-1')), 60_000, 500);
    await waitFor('data-web-1 gone', () => gone(claimPath('data-web-1')), 60_000, 500);
    await waitFor('its volume gone', () => gone(`/api/v1/persistentvolumes/${volumes[1]}`), 60_000, 500);
    expect(await running('web-0')).toBeDefined();
    expect((await getObj(cluster, claimPath('data-web-0')))?.metadata.deletionTimestamp).toBeUndefined();

    // Deleting the set: the garbage collector takes web-0, then its claim once no pod uses it.
    await k(cluster, '-n', NS, 'delete', 'statefulset', 'web', '--wait=true');
    await waitFor('web-0 gone', () => gone(podPath('web-0')), 60_000, 500);
    await waitFor('data-web-0 gone', () => gone(claimPath('data-web-0')), 60_000, 500);
    await waitFor('its volume gone', () => gone(`/api/v1/persistentvolumes/${volumes[0]}`), 60_000, 500);
  });

  it('a pod naming a missing claim is unschedulable with the reason', async () => {
    await create('pods', podWith('orphan', 'nope', 'sleep 3600'));
    const message = await waitFor(
      'FailedScheduling',
      async () => (await getObj(cluster, podPath('orphan')))?.status?.conditions?.find((c: Obj) => c.type === 'PodScheduled' && c.status === 'False')?.message as string | undefined,
      60_000,
      500,
    );
    expect(message).toBe('0/2 nodes are available: 2 persistentvolumeclaim "nope" not found.');
  });
});
