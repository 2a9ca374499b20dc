/** Thin edges to host tools: taps, disk overlays and the cloud-init seed. */
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { runCommand } from '../proc/run-command';
import { VmConfigDisk, VmDisk, VmNetwork } from './types';

const exec = (file: string, args: string[]) => runCommand(file, args, { timeoutMs: 120_000 });

async function ip(...args: string[]): Promise<void> {
  await exec('ip', args);
}

const linkExists = (name: string) => exec('ip', ['link', 'show', 'dev', name]).then(() => true, () => false);

/** Creates the tap (kept across QEMU restarts: `persistent`) and puts it up on the bridge. */
export async function ensureTap(net: VmNetwork): Promise<void> {
  if (!(await linkExists(net.tap))) await ip('tuntap', 'add', 'dev', net.tap, 'mode', 'tap');
  await ip('link', 'set', 'dev', net.tap, 'master', net.bridge);
  await ip('link', 'set', 'dev', net.tap, 'up');
}

export async function deleteTap(tap: string): Promise<void> {
  if (await linkExists(tap)) await ip('link', 'del', 'dev', tap).catch(() => undefined);
}

/** A per-VM copy-on-write layer over the base image; the base is never written. */
export async function createOverlay(disk: VmDisk, overlayPath: string): Promise<void> {
  if (disk.persistent) return; // written in place
  await exec('qemu-img', ['create', '-q', '-f', 'qcow2', '-F', disk.format, '-b', disk.path, overlayPath]);
}

/**
 * A NoCloud seed: an ISO 9660 volume labelled `cidata` with user-data, meta-data and, when
 * given, network-config (cloud-init's NoCloud file names).
 */
export async function createSeedIso(userData: string, metaData: string, isoPath: string, networkConfig?: string): Promise<void> {
  const files = [
    { path: 'user-data', base64: Buffer.from(userData).toString('base64') },
    { path: 'meta-data', base64: Buffer.from(metaData).toString('base64') },
  ];
  if (networkConfig !== undefined) files.push({ path: 'network-config', base64: Buffer.from(networkConfig).toString('base64') });
  await createIsoImage('cidata', files, isoPath);
}

/** A read-only ISO 9660 image (Joliet + Rock Ridge) with `files`, 0600: it often holds credentials. */
export async function createIsoImage(label: string, files: VmConfigDisk['files'], isoPath: string): Promise<void> {
  const dir = await mkdtemp(`${isoPath}.src-`);
  try {
    for (const file of files) {
      await mkdir(dirname(join(dir, file.path)), { recursive: true });
      await writeFile(join(dir, file.path), Buffer.from(file.base64, 'base64'), { mode: 0o644 });
    }
    await exec('genisoimage', ['-quiet', '-output', isoPath, '-volid', label, '-joliet', '-rock', dir]);
    await chmod(isoPath, 0o600);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
