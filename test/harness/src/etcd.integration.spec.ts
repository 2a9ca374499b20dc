import { Etcd3 } from 'etcd3';
import { existsSync } from 'node:fs';
import { RunningEtcd, startEtcd } from './etcd';

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
