// The importer with real qemu-img on a real directory: a qcow2 "containerDisk" becomes a raw
// disk.img grown to the claim's size, with the data intact; progress and the outcome are
// reported on the claim's status condition in order; a missing image and an image larger
// than the claim end ImportFailed with the reason; a blank source is an empty raw disk.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createLogger } from '@coxswain/client';
import { DataVolumeImporter, ImportPendingError } from './data-volume-import';

const run = promisify(execFile);
const MI = 1024 * 1024;
jest.setTimeout(60_000);

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'cox-dv-'));
  // The "image": a qcow2 of 8 MiB whose first sector says hello.
  await mkdir(join(root, 'image', 'disk'), { recursive: true });
  await writeFile(join(root, 'seed.raw'), Buffer.concat([Buffer.from('hello from the containerDisk'), Buffer.alloc(8 * MI - 28)]));
  await run('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', join(root, 'seed.raw'), join(root, 'image', 'disk', 'disk.qcow2')]);
});
afterAll(() => rm(root, { recursive: true, force: true }));

function fakeClient(claim: Obj) {
  const reports: Array<{ reason: string; message: string }> = [];
  const client = {
    get: async () => structuredClone(claim),
    patch: async (_r: unknown, _n: string, body: Obj) => {
      const c = body.status.conditions.find((x: Obj) => x.type === 'cdi.kubevirt.io/Import');
      reports.push({ reason: c.reason, message: c.message });
      claim.status = { ...(claim.status ?? {}), conditions: body.status.conditions };
      return claim;
    },
  };
  return { client: client as never, reports };
}

const images = (present: boolean) => ({
  pull: async (ref: string) => {
    if (!present) throw new Error(`manifest unknown: ${ref}`);
  },
  imageFilePath: async (_ref: string, path: string) => {
    const p = join(root, 'image', path);
    return (await stat(p).catch(() => undefined)) ? p : undefined;
  },
});

const claimOf = (uid: string, annotations: Record<string, string>): Obj => ({ metadata: { name: 'disk', namespace: 'ns', uid, annotations }, status: { phase: 'Bound', conditions: [{ type: 'Resizing', status: 'False' }] } });
const registry = { 'cdi.kubevirt.io/storage.import.source': 'registry', 'cdi.kubevirt.io/storage.import.endpoint': 'docker://reg:5000/disk:1' };

async function importUntilDone(importer: DataVolumeImporter, claim: Obj, volume: string, capacity: number): Promise<string[]> {
  const waits: string[] = [];
  for (let i = 0; i < 600; i++) {
    try {
      await importer.ensureImported(claim as never, volume, capacity);
      return waits;
    } catch (error) {
      expect(error).toBeInstanceOf(ImportPendingError);
      waits.push((error as Error).message);
      if ((error as Error).message.includes('import failed')) return waits;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error('import did not finish');
}

describe('DataVolumeImporter', () => {
  it('imports a qcow2 containerDisk as a raw disk.img grown to the claim', async () => {
    const volume = join(root, 'vol-a');
    await mkdir(volume);
    const claim = claimOf('a', registry);
    const { client, reports } = fakeClient(claim);
    const importer = new DataVolumeImporter({ client, images: images(true), logger: createLogger('test', { level: 'silent' }), progressEveryMs: 0 });
    const waits = await importUntilDone(importer, claim, volume, 64 * MI);
    expect(waits[0]).toBe('DataVolume ns/disk import scheduled');
    expect(reports[0]).toEqual({ reason: 'ImportInProgress', message: '0.00%' });
    expect(reports[reports.length - 1]).toEqual({ reason: 'ImportSucceeded', message: 'Import Complete' });
    // Other conditions on the claim are kept.
    expect(claim.status.conditions.map((c: Obj) => c.type)).toEqual(['Resizing', 'cdi.kubevirt.io/Import']);
    const info = JSON.parse((await run('qemu-img', ['info', '--output=json', join(volume, 'disk.img')])).stdout);
    expect(info.format).toBe('raw');
    expect(info['virtual-size']).toBe(Math.floor((64 * MI * 0.945) / MI) * MI);
    expect((await readFile(join(volume, 'disk.img'))).subarray(0, 28).toString()).toBe('hello from the containerDisk');
    await expect(stat(join(volume, 'disk.img.partial'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each<[string, boolean, number, string]>([
    ['a missing image', false, 64 * MI, 'Unable to pull reg:5000/disk:1: manifest unknown: reg:5000/disk:1'],
    ['an image larger than the claim', true, 4 * MI, 'Virtual image size 8388608 is larger than the reported available storage 3145728. A larger PVC is required.'],
  ])('%s ends ImportFailed with the reason, and the consumer keeps waiting', async (_name, present, capacity, why) => {
    const volume = join(root, `vol-${capacity}-${present}`);
    await mkdir(volume);
    const claim = claimOf(`f-${present}`, registry);
    const { client, reports } = fakeClient(claim);
    const importer = new DataVolumeImporter({ client, images: images(present), logger: createLogger('test', { level: 'silent' }) });
    const waits = await importUntilDone(importer, claim, volume, capacity);
    expect(reports[reports.length - 1]).toEqual({ reason: 'ImportFailed', message: why });
    expect(waits[waits.length - 1]).toBe(`DataVolume ns/disk import failed: ${why}`);
    await expect(stat(join(volume, 'disk.img'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a blank source is an empty raw disk of the claim\'s size', async () => {
    const volume = join(root, 'vol-blank');
    await mkdir(volume);
    const claim = claimOf('b', { 'cdi.kubevirt.io/storage.import.source': 'none' });
    const { client, reports } = fakeClient(claim);
    await importUntilDone(new DataVolumeImporter({ client, images: images(false), logger: createLogger('test', { level: 'silent' }) }), claim, volume, 32 * MI);
    expect(reports.map((r) => r.reason)).toEqual(['ImportInProgress', 'ImportSucceeded']);
    const info = JSON.parse((await run('qemu-img', ['info', '--output=json', join(volume, 'disk.img')])).stdout);
    expect([info.format, info['virtual-size']]).toEqual(['raw', 30 * MI]);
  });

  it('a claim that is no DataVolume\'s needs no import', async () => {
    const { client, reports } = fakeClient({});
    await new DataVolumeImporter({ client, images: images(true), logger: createLogger('test', { level: 'silent' }) }).ensureImported({ metadata: { name: 'x', namespace: 'ns', uid: 'x' } } as never, root, MI);
    expect(reports).toEqual([]);
  });
});
