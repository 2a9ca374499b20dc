/** Thin edges to host tools: taps, disk overlays and the cloud-init seed. */
import { execFile } from 'node:child_process';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { VmDisk, VmNetwork } from './types';

const exec = promisify(execFile);

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

/** A NoCloud seed: an ISO 9660 volume labelled `cidata` with user-data and meta-data. */
export async function createSeedIso(userData: string, metaData: string, isoPath: string): Promise<void> {
  const dir = await mkdtemp(`${isoPath}.src-`);
  try {
    await writeFile(join(dir, 'user-data'), userData, { mode: 0o600 });
    await writeFile(join(dir, 'meta-data'), metaData, { mode: 0o600 });
    await exec('genisoimage', ['-quiet', '-output', isoPath, '-volid', 'cidata', '-joliet', '-rock', join(dir, 'user-data'), join(dir, 'meta-data')]);
    await chmod(isoPath, 0o600); // user data often holds credentials
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
