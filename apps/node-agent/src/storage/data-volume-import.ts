// CDI's importer, run by the node agent that holds a DataVolume's volume (the claim is bound
// here once its first consumer is scheduled): pull the containerDisk image through the
// node's image store, convert its disk under /disk/ to a raw disk.img at the volume's root
// (KubeVirt's PVC disk convention, vm-claim-disk.ts), grow it to the claim's size less the
// filesystem overhead, and report progress and the outcome on the claim's
// `cdi.kubevirt.io/Import` status condition (all a node may write on a claim). A blank source
// is an empty raw disk of that size. A failure is final (the DataVolume's Failed phase):
// delete and recreate the DataVolume to retry. Until Succeeded, the consumer waits.
import { spawn } from 'node:child_process';
import { readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import {
  CDI_ENDPOINT_ANNOTATION,
  CDI_IMPORT_CONDITION,
  CDI_SOURCE_ANNOTATION,
  IMPORT_FAILED,
  IMPORT_IN_PROGRESS,
  IMPORT_SUCCEEDED,
  importStateOf,
  PersistentVolumeClaim,
  registryImageOf,
} from '@coxswain/api/browser';
import { BUILTIN_RESOURCES as R, KubeClient, Logger } from '@coxswain/client';
import { CLAIM_DISK_FILE, claimDiskBytes } from '../runtime/vm-claim-disk';

export type ImportSource = { kind: 'registry'; image: string } | { kind: 'blank' } | { kind: 'invalid'; why: string };

/** What a claim asks to be filled with (CDI's annotations), undefined for a claim that is no DataVolume's. */
export function importSourceOf(claim: PersistentVolumeClaim): ImportSource | undefined {
  const annotations = claim.metadata.annotations ?? {};
  const source = annotations[CDI_SOURCE_ANNOTATION];
  if (source === undefined) return undefined;
  if (source === 'none') return { kind: 'blank' };
  if (source !== 'registry') return { kind: 'invalid', why: `unsupported import source "${source}"` };
  const image = registryImageOf(annotations[CDI_ENDPOINT_ANNOTATION]);
  return image ? { kind: 'registry', image } : { kind: 'invalid', why: `invalid registry endpoint "${annotations[CDI_ENDPOINT_ANNOTATION] ?? ''}"` };
}

/** The last percentage `qemu-img convert -p` printed ("    (45.20/100%)\r"), if any. */
export function lastProgress(output: string): number | undefined {
  const all = [...output.matchAll(/\((\d+(?:\.\d+)?)\/100%\)/g)];
  return all.length ? Number(all[all.length - 1][1]) : undefined;
}

/** CDI's refusal when the image does not fit the claim. */
export function sizeRefusal(virtualBytes: number, availableBytes: number): string | undefined {
  return virtualBytes > availableBytes ? `Virtual image size ${virtualBytes} is larger than the reported available storage ${availableBytes}. A larger PVC is required.` : undefined;
}

/** The files KubeVirt's containerDisks put the disk under, in order; else the only file in /disk. */
const DISK_CANDIDATES = ['/disk/disk.qcow2', '/disk/disk.img', '/disk/disk.raw'];

export interface ImageSource {
  pull(ref: string): Promise<unknown>;
  imageFilePath(ref: string, path: string): Promise<string | undefined>;
}

export interface DataVolumeImporterOptions {
  client: Pick<KubeClient, 'get' | 'patch'>;
  images: ImageSource;
  logger: Logger;
  /** Least time between two progress reports. */
  progressEveryMs?: number;
}

/** Thrown while the consumer must wait (an import runs, or failed): the VMI stays Scheduled with this reason. */
export class ImportPendingError extends Error {}

function run(cmd: string, args: string[], onOutput?: (chunk: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      onOutput?.(d.toString());
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args[0]} failed: ${err.trim() || `exit ${code}`}`))));
  });
}

export class DataVolumeImporter {
  /** Imports running in this agent, by claim uid. */
  private readonly running = new Map<string, { progress: string }>();

  constructor(private readonly options: DataVolumeImporterOptions) {}

  /**
   * Resolves when the claim's disk is ready to boot (or the claim is no DataVolume's); starts
   * the import (once) and throws ImportPendingError while it runs or after it failed.
   */
  async ensureImported(claim: PersistentVolumeClaim, mountPath: string, capacityBytes: number): Promise<void> {
    const source = importSourceOf(claim);
    if (!source) return;
    const name = `${claim.metadata.namespace}/${claim.metadata.name}`;
    const state = importStateOf(claim);
    if (state?.reason === IMPORT_SUCCEEDED) return;
    if (state?.reason === IMPORT_FAILED) throw new ImportPendingError(`DataVolume ${name} import failed: ${state.message}`);
    const uid = claim.metadata.uid!;
    const job = this.running.get(uid);
    if (job) throw new ImportPendingError(`DataVolume ${name} import in progress (${job.progress})`);
    const started = { progress: 'N/A' };
    this.running.set(uid, started);
    void this.importNow(claim, source, mountPath, capacityBytes, started).finally(() => this.running.delete(uid));
    throw new ImportPendingError(`DataVolume ${name} import scheduled`);
  }

  private async importNow(claim: PersistentVolumeClaim, source: ImportSource, mountPath: string, capacityBytes: number, job: { progress: string }): Promise<void> {
    const target = join(mountPath, CLAIM_DISK_FILE);
    try {
      // A disk.img exists only once an import finished (it is renamed into place last): an
      // agent restarted before reporting it reports it now instead of importing again.
      if (!(await stat(target).catch(() => undefined))) {
        await this.report(claim, IMPORT_IN_PROGRESS, '0.00%');
        await this.fill(claim, source, mountPath, capacityBytes, job);
      }
      await this.report(claim, IMPORT_SUCCEEDED, `Import Complete`);
    } catch (error) {
      const message = (error as Error)?.message ?? String(error);
      this.options.logger.warn({ err: error, claim: claim.metadata.name }, 'DataVolume import failed');
      await this.report(claim, IMPORT_FAILED, message).catch((e) => this.options.logger.warn({ err: e }, 'reporting a failed import failed'));
    }
  }

  private async fill(claim: PersistentVolumeClaim, source: ImportSource, mountPath: string, capacityBytes: number, job: { progress: string }): Promise<void> {
    if (source.kind === 'invalid') throw new Error(source.why);
    const partial = join(mountPath, `${CLAIM_DISK_FILE}.partial`);
    await rm(partial, { force: true });
    const fs = await statfs(mountPath);
    const bytes = claimDiskBytes(capacityBytes, fs.bavail * fs.bsize);
    if (source.kind === 'blank') {
      await run('qemu-img', ['create', '-q', '-f', 'raw', partial, String(bytes)]);
    } else {
      const disk = await this.diskOf(source.image);
      const info = JSON.parse(await run('qemu-img', ['info', '--output=json', disk])) as { 'virtual-size': number; format: string; 'backing-filename'?: string };
      if (info['backing-filename']) throw new Error(`the disk in ${source.image} has a backing file; only self-contained images are imported`);
      const refusal = sizeRefusal(info['virtual-size'], bytes);
      if (refusal) throw new Error(refusal);
      let last = 0;
      const every = this.options.progressEveryMs ?? 1000;
      await run('qemu-img', ['convert', '-p', '-f', info.format, '-O', 'raw', disk, partial], (chunk) => {
        const p = lastProgress(chunk);
        if (p === undefined) return;
        job.progress = `${p.toFixed(2)}%`;
        if (Date.now() - last < every) return;
        last = Date.now();
        void this.report(claim, IMPORT_IN_PROGRESS, job.progress).catch(() => undefined);
      });
      // Filled to the claim's size, as CDI resizes the image to the volume.
      if (info['virtual-size'] < bytes) await run('qemu-img', ['resize', '-q', '-f', 'raw', partial, String(bytes)]);
    }
    await run('sync', ['-f', partial]).catch(() => undefined);
    await rename(partial, join(mountPath, CLAIM_DISK_FILE));
  }

  /** The host path of the image's disk under /disk/. */
  private async diskOf(image: string): Promise<string> {
    const { images } = this.options;
    await images.pull(image).catch((error) => {
      throw new Error(`Unable to pull ${image}: ${(error as Error)?.message ?? error}`);
    });
    for (const candidate of DISK_CANDIDATES) {
      const path = await images.imageFilePath(image, candidate);
      if (path) return path;
    }
    const dir = await images.imageFilePath(image, '/disk');
    const files = dir ? await readdir(dir).catch(() => []) : [];
    if (files.length === 1) return join(dir!, files[0]);
    throw new Error(`image ${image} has no disk under /disk/ (a containerDisk holds one file there)`);
  }

  /** Reports in order (a late progress report never overwrites the outcome). */
  private reports = Promise.resolve();

  private report(claim: PersistentVolumeClaim, reason: string, message: string): Promise<void> {
    const next = this.reports.catch(() => undefined).then(() => this.reportNow(claim, reason, message));
    this.reports = next;
    return next;
  }

  private async reportNow(claim: PersistentVolumeClaim, reason: string, message: string): Promise<void> {
    const { client } = this.options;
    const namespace = claim.metadata.namespace;
    const fresh = await client.get<PersistentVolumeClaim>(R.PersistentVolumeClaim, claim.metadata.name!, { namespace });
    if (fresh.metadata.uid !== claim.metadata.uid) return;
    const condition = { type: CDI_IMPORT_CONDITION, status: reason === IMPORT_FAILED ? 'False' : 'True', reason, message, lastTransitionTime: new Date().toISOString() };
    const conditions = [...(fresh.status?.conditions ?? []).filter((c) => c.type !== CDI_IMPORT_CONDITION), condition];
    await client.patch(R.PersistentVolumeClaim, claim.metadata.name!, { status: { conditions } }, { namespace, subresource: 'status' });
  }
}
