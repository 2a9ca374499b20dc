import { Etcd3 } from 'etcd3';
import { existsSync } from 'node:fs';
import { RunningEtcd, startEtcd } from './etcd';
import { waitUntil } from './process';

describe('startEtcd', () => {
  let etcd: RunningEtcd;
  beforeAll(async () => {
    etcd = await startEtcd();
  });
  afterAll(async () => {
    await etcd?.stop();
  });

  it('serves a real etcd that stores and guards keys transactionally', async () => {
    const client = new Etcd3({ hosts: etcd.endpoint });
    try {
      await client.put('/harness/a').value('1');
      expect(await client.get('/harness/a').string()).toBe('1');
      const created = await client
        .if('/harness/a', 'Create', '==', 0)
        .then(client.put('/harness/a').value('2'))
        .commit();
      expect(created.succeeded).toBe(false);
      expect(await client.get('/harness/a').string()).toBe('1');
    } finally {
      client.close();
    }
  });

  it('removes its data dir and frees the port when stopped', async () => {
    const second = await startEtcd();
    await second.stop();
    expect(existsSync(second.dataDir)).toBe(false);
    await expect(fetch(`${second.endpoint}/health`)).rejects.toThrow();
  });
});

describe('startEtcd with members', () => {
  jest.setTimeout(90_000);
  let cluster: RunningEtcd;
  const restarts: string[] = [];
  beforeAll(async () => {
    cluster = await startEtcd({ members: 3, onRestart: (member) => restarts.push(member) });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('forms one 3-member cluster that keeps quorum when a member is killed, and restarts it', async () => {
    expect(cluster.endpoints).toHaveLength(3);
    expect(cluster.endpoint).toBe(cluster.endpoints.join(','));
    const client = new Etcd3({ hosts: cluster.endpoints });
    try {
      const members = await client.cluster.memberList({});
      expect(members.members.map((m) => m.name).sort()).toEqual(['cox-1', 'cox-2', 'cox-3']);
      const victim = cluster.members[0];
      const pid = victim.process.child.pid!;
      process.kill(pid, 'SIGKILL');
      // Two of three members still form a quorum: writes go on.
      await client.put('/harness/ha').value('during');
      // The supervisor brings the member back; it rejoins with its data and catches up.
      await waitUntil(async () => victim.process.child.pid !== pid, 20_000, () => 'member not restarted');
      expect(restarts).toEqual(['cox-1']);
      const single = new Etcd3({ hosts: victim.endpoint });
      try {
        await waitUntil(async () => (await single.get('/harness/ha').string().catch(() => null)) === 'during', 30_000, () => `member did not catch up: ${victim.process.output()}`);
      } finally {
        single.close();
      }
    } finally {
      client.close();
    }
  });
});
