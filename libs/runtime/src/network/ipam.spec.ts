import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as fsPromises from 'node:fs/promises';
import { FileIpam, IpamExhaustedError } from './ipam';

jest.mock('node:fs/promises', () => {
  const actual = jest.requireActual<typeof fsPromises>('node:fs/promises');
  return { ...actual, readdir: jest.fn(actual.readdir) };
});
const readdirSpy = fsPromises.readdir as unknown as jest.Mock<Promise<string[]>, [string]>;

describe('FileIpam', () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), 'cox-ipam-')); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it('allocates from .2 with the gateway .1, idempotently per owner', async () => {
    const ipam = new FileIpam(dir, '10.88.0.0/24');
    const a = await ipam.allocate('pod-a');
    expect(a).toEqual({ ip: '10.88.0.2', prefixLength: 24, gateway: '10.88.0.1' });
    expect(await ipam.allocate('pod-a')).toEqual(a);
    expect((await ipam.allocate('pod-b')).ip).toBe('10.88.0.3');
  });

  it('keeps allocations across instances (restart) and hands out released addresses last', async () => {
    const first = new FileIpam(dir, '10.88.0.0/29');
    await first.allocate('a');
    await first.allocate('b');
    await first.release('a');
    const second = new FileIpam(dir, '10.88.0.0/29');
    expect(await second.lookup('b')).toBe('10.88.0.3');
    expect((await second.allocate('c')).ip).toBe('10.88.0.4');
    expect([...(await second.list()).entries()].sort()).toEqual([['10.88.0.3', 'b'], ['10.88.0.4', 'c']]);
  });

  it('never hands one address to two owners under concurrency, and reports exhaustion', async () => {
    // Five usable addresses, three allocator instances racing for ten owners.
    const ipams = [0, 1, 2].map(() => new FileIpam(dir, '10.9.0.0/29'));
    const results = await Promise.allSettled(Array.from({ length: 10 }, (_, i) => ipams[i % 3].allocate(`owner-${i}`)));
    const ips = results.filter((r) => r.status === 'fulfilled').map((r) => (r as PromiseFulfilledResult<{ ip: string }>).value.ip);
    expect(ips).toHaveLength(5);
    expect(new Set(ips).size).toBe(5);
    const failures = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
    expect(failures).toHaveLength(5);
    for (const f of failures) expect(f.reason).toBeInstanceOf(IpamExhaustedError);
  });

  it('keeps a whole address as where to start after many allocations at once, and allocates past a torn one', async () => {
    // 60 owners at once on one instance: their hint writes raced. Plain writes interleaved
    // into "10.207.1.980" once, and from then on every allocation on the node failed.
    const ipam = new FileIpam(dir, '10.207.1.0/24');
    const ips = await Promise.all(Array.from({ length: 60 }, (_, i) => ipam.allocate(`pod-${i}`).then((a) => a.ip)));
    expect(new Set(ips).size).toBe(60);
    const last = (await readFile(join(dir, 'last_reserved_ip'), 'utf8')).trim();
    expect(ips).toContain(last);
    expect((await readdir(dir)).filter((n) => n.startsWith('.') || n.includes('.tmp-'))).toEqual([]); // no temporary files left
    await writeFile(join(dir, 'last_reserved_ip'), '10.207.1.980');
    const next = await new FileIpam(dir, '10.207.1.0/24').allocate('after-torn');
    expect(ips).not.toContain(next.ip);
  });

  it('releases of many pods at once share reads of the table (a node removing 300 pods)', async () => {
    const ipam = new FileIpam(dir, '10.88.0.0/23');
    // Written directly: 300 allocations one after another would take long on a loaded machine.
    for (let i = 0; i < 300; i++) await writeFile(join(dir, `10.88.${i >> 8}.${(i & 255) + 2}`), `pod-${i}\n`);
    const tableReads = () => readdirSpy.mock.calls.filter(([path]) => path === dir).length;
    const before = tableReads();
    await Promise.all(Array.from({ length: 300 }, (_, i) => ipam.release(`pod-${i}`)));
    // Each release read the whole table before: 300 reads, 90,000 files open at once.
    expect(tableReads() - before).toBeLessThanOrEqual(2);
    expect([...(await new FileIpam(dir, '10.88.0.0/23').list())]).toEqual([]);
  }, 120_000);

  it('sees an allocation made just before a lookup while another read runs', async () => {
    const ipam = new FileIpam(dir, '10.88.0.0/24');
    await ipam.allocate('a');
    const running = ipam.list();
    const fresh = new FileIpam(dir, '10.88.0.0/24');
    const b = await fresh.allocate('b');
    expect(await ipam.lookup('b')).toBe(b.ip);
    await running;
  });

  it('releases an address it handed out without reading the table, and checks the hint first', async () => {
    const ipam = new FileIpam(dir, '10.88.0.0/24');
    const a = await ipam.allocate('a');
    const b = await ipam.allocate('b');
    const tableReads = () => readdirSpy.mock.calls.filter(([path]) => path === dir).length;
    const before = tableReads();
    await ipam.release('a');
    expect(tableReads() - before).toBe(0);
    // Another instance released b and gave its address to c: the hint no longer holds, so the
    // table decides, and c keeps its address.
    const other = new FileIpam(dir, '10.88.0.0/24');
    await other.release('b');
    await writeFile(join(dir, b.ip), 'c\n');
    await ipam.release('b');
    expect([...(await new FileIpam(dir, '10.88.0.0/24').list())]).toEqual([[b.ip, 'c']]);
    expect(a.ip).not.toBe(b.ip);
  });

  it('allocates for new owners without reading the table again once it was read, and still finds an owner\'s address after a restart', async () => {
    const ipam = new FileIpam(dir, '10.88.0.0/24');
    const tableReads = () => readdirSpy.mock.calls.filter(([path]) => path === dir).length;
    const before = tableReads();
    const ips = await Promise.all(Array.from({ length: 40 }, (_, i) => ipam.allocate(`pod-${i}`).then((a) => a.ip)));
    expect(new Set(ips).size).toBe(40);
    // The first allocations share the reads that tell this instance the whole table (one began
    // before the others asked, see SharedRead); after them, none.
    const first = tableReads() - before;
    expect(first).toBeLessThanOrEqual(2);
    expect((await ipam.allocate('pod-40')).ip).not.toBe(ips[0]);
    expect((await ipam.allocate('pod-7')).ip).toBe(ips[7]);
    expect(tableReads() - before).toBe(first);
    // A new instance (an agent restarted) knows nothing yet: it reads the table and hands pod-7 its address again.
    expect((await new FileIpam(dir, '10.88.0.0/24').allocate('pod-7')).ip).toBe(ips[7]);
    expect(tableReads() - before).toBe(first + 1);
  });

  it('release of an unknown owner is a no-op; bad owners are refused', async () => {
    const ipam = new FileIpam(dir, '10.88.0.0/24');
    await expect(ipam.release('nobody')).resolves.toBeUndefined();
    expect(() => ipam.allocate('a/b')).toThrow(/invalid/);
  });
});
