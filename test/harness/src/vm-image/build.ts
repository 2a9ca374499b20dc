import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, readdir, readFile, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { guestFiles } from './guest-init';
import { cloudKernelPackage, moduleLoadOrder, moduleName, parseModulesDep } from './modules';

const exec = promisify(execFile);

/** Where the fixture lives unless a test says otherwise (git-ignored). */
export const DEFAULT_VM_FIXTURE_DIR = resolve(__dirname, '../../../../.fixtures/vm');

/**
 * Modules the guest loads: virtio PCI transport, net/block/console, the ACPI power button and
 * evdev (so busybox acpid sees it), isofs for the cloud-init seed. Dependencies come from depmod.
 */
export const GUEST_MODULES = ['virtio_pci', 'virtio_net', 'virtio_blk', 'virtio_console', 'button', 'evdev', 'isofs'];

const BUSYBOX = '/bin/busybox';

export interface TinyVmFiles {
  kernelPath: string;
  initrdPath: string;
  /** Debian kernel release, e.g. 6.1.0-50-cloud-amd64. */
  kernelVersion: string;
}

/**
 * Returns a Debian cloud kernel and a busybox initramfs that boots it to a shell, an IP from
 * the command line, httpd on :80 and cloud-init user-data. Built once per content hash under
 * `cacheDir`; concurrent callers may both build, the first rename wins.
 */
export async function buildTinyVmFiles(cacheDir: string = DEFAULT_VM_FIXTURE_DIR): Promise<TinyVmFiles> {
  const key = await recipeHash();
  const cached = await findCached(cacheDir, key);
  if (cached) return cached;

  const work = join(cacheDir, `.build-${randomBytes(4).toString('hex')}`);
  await mkdir(work, { recursive: true });
  let finalDir = '';
  let version = '';
  try {
    const out = join(work, 'out');
    await mkdir(out);
    ({ version } = await unpackCloudKernel(work));
    finalDir = join(cacheDir, `${version}-${key}`);
    await copyFile(join(work, 'root/boot', `vmlinuz-${version}`), join(out, 'vmlinuz'));
    await buildInitramfs(join(work, 'root'), version, join(work, 'initramfs'), join(out, 'initrd.gz'));
    await rename(out, finalDir).catch(async (error: NodeJS.ErrnoException) => {
      if (!(await hasFiles(finalDir))) throw error; // someone else finished first: fine
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  await pruneStale(cacheDir, key);
  return files(finalDir, version);
}

/** `apt-get download` of `pkgs` into `work`, each unpacked with `dpkg -x` into `work/<into>`. */
export async function downloadAndUnpack(work: string, pkgs: Array<{ pkg: string; into: string }>): Promise<void> {
  await exec('apt-get', ['download', '-o', 'APT::Sandbox::User=root', ...pkgs.map((p) => p.pkg)], { cwd: work });
  const files = await readdir(work);
  for (const { pkg, into } of pkgs) {
    const deb = files.find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
    if (!deb) throw new Error(`apt-get download ${pkg} left no .deb in ${work}`);
    await exec('dpkg', ['-x', join(work, deb), join(work, into)]);
  }
}

/** The Debian cloud kernel package apt knows, unpacked into `work/root` with its modules.dep. */
export async function unpackCloudKernel(work: string): Promise<{ pkg: string; version: string }> {
  const { stdout } = await exec('apt-cache', ['depends', 'linux-image-cloud-amd64']);
  const found = cloudKernelPackage(stdout);
  await downloadAndUnpack(work, [{ pkg: found.pkg, into: 'root' }]);
  await exec('depmod', ['-b', join(work, 'root'), found.version]);
  return found;
}

/**
 * The guest's userland in `stage`: busybox with every applet, the kernel modules the guest
 * loads (in dependency order, listed in /etc/modules), the init scripts and device nodes.
 */
export async function stageGuestRoot(kernelRoot: string, version: string, stage: string, modules: string[] = GUEST_MODULES): Promise<void> {
  const modulesDir = join(kernelRoot, 'lib/modules', version);
  const order = moduleLoadOrder(parseModulesDep(await readFile(join(modulesDir, 'modules.dep'), 'utf8')), modules);

  for (const dir of ['bin', 'dev', 'proc', 'sys', 'tmp', 'lib/modules', 'etc/acpi/PWRF']) {
    await mkdir(join(stage, dir), { recursive: true });
  }
  // The kernel hands init /dev/console before anything mounts devtmpfs: it must be in the archive.
  await exec('mknod', ['-m', '600', join(stage, 'dev/console'), 'c', '5', '1']);
  await exec('mknod', ['-m', '666', join(stage, 'dev/null'), 'c', '1', '3']);
  await copyFile(BUSYBOX, join(stage, 'bin/busybox'));
  await chmod(join(stage, 'bin/busybox'), 0o755);
  const { stdout } = await exec(BUSYBOX, ['--list']);
  for (const applet of stdout.split('\n').filter((a) => a && a !== 'busybox')) {
    await symlink('busybox', join(stage, 'bin', applet));
  }
  for (const path of order) await copyFile(join(modulesDir, path), join(stage, 'lib/modules', `${moduleName(path)}.ko`));
  for (const file of guestFiles(order.map(moduleName))) {
    await mkdir(dirname(join(stage, file.path)), { recursive: true });
    await writeFile(join(stage, file.path), file.content, { mode: file.mode });
  }
}

/** A gzip'd newc cpio of `stage`, owned by root, in a stable order. */
export async function cpioGz(stage: string, output: string): Promise<void> {
  await exec('sh', ['-c', 'find . | LC_ALL=C sort | cpio -o -H newc -R 0:0 --quiet | gzip -9 > "$1"', 'sh', output], { cwd: stage });
}

async function buildInitramfs(kernelRoot: string, version: string, stage: string, output: string): Promise<void> {
  await stageGuestRoot(kernelRoot, version, stage);
  await symlink('bin/busybox', join(stage, 'init')); // argv[0] "init" selects busybox init
  await cpioGz(stage, output);
}

/** Changes to the guest scripts, module list or busybox binary produce a new fixture. */
async function recipeHash(): Promise<string> {
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ files: guestFiles([]), modules: GUEST_MODULES, v: 2 }));
  hash.update(String((await stat(BUSYBOX)).size));
  return hash.digest('hex').slice(0, 10);
}

async function findCached(cacheDir: string, key: string): Promise<TinyVmFiles | undefined> {
  const entries = await readdir(cacheDir).catch(() => [] as string[]);
  for (const entry of entries.filter((e) => e.endsWith(`-${key}`) && !e.startsWith('.'))) {
    const dir = join(cacheDir, entry);
    if (await hasFiles(dir)) return files(dir, entry.slice(0, -key.length - 1));
  }
  return undefined;
}

// Builds from older recipes (or older kernels of this recipe's hash peers) are dead weight.
async function pruneStale(cacheDir: string, key: string): Promise<void> {
  const entries = await readdir(cacheDir).catch(() => [] as string[]);
  for (const entry of entries.filter((e) => !e.startsWith('.') && !e.endsWith(`-${key}`))) {
    await rm(join(cacheDir, entry), { recursive: true, force: true });
  }
}

async function hasFiles(dir: string): Promise<boolean> {
  const present = await Promise.all(['vmlinuz', 'initrd.gz'].map((f) => stat(join(dir, f)).then(() => true, () => false)));
  return present.every(Boolean);
}

const files = (dir: string, kernelVersion: string): TinyVmFiles => ({
  kernelPath: join(dir, 'vmlinuz'),
  initrdPath: join(dir, 'initrd.gz'),
  kernelVersion,
});
