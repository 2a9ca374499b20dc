// Steps that turn Debian packages into image layers: debootstrap, slimming like the official
// debian:*-slim images, package installs in an overlay over the base (the overlay's upper
// dir is the new layer) and GNU tar of a tree as an OCI layer. Everything comes from the
// machine's configured Debian mirror; nothing is downloaded from anywhere else.
import { execFile } from 'node:child_process';
import { chmod, lstat, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIG = { maxBuffer: 64 * 2 ** 20 };

export const DEBIAN_SUITE = 'bookworm';

/** The machine's Debian mirror (first `deb` URI serving the suite), e.g. http://deb.debian.org/debian. */
export async function debianMirror(): Promise<string> {
  const files = ['/etc/apt/sources.list', ...(await readdir('/etc/apt/sources.list.d').catch(() => [] as string[])).map((f) => join('/etc/apt/sources.list.d', f))];
  for (const file of files) {
    const text = await readFile(file, 'utf8').catch(() => '');
    const oneLine = text.match(new RegExp(`^deb\\s+(?:\\[[^\\]]*\\]\\s+)?(\\S+)\\s+${DEBIAN_SUITE}\\s`, 'm'));
    if (oneLine) return oneLine[1];
    for (const stanza of text.split(/\n\s*\n/)) {
      const uri = stanza.match(/^URIs:\s*(\S+)/m)?.[1];
      const suites = stanza.match(/^Suites:\s*(.+)$/m)?.[1].split(/\s+/) ?? [];
      if (uri && suites.includes(DEBIAN_SUITE) && /^Types:.*\bdeb\b/m.test(stanza)) return uri;
    }
  }
  return 'http://deb.debian.org/debian';
}

// What debuerreotype's slimify keeps out of -slim images (dpkg honours it for later installs).
const DPKG_EXCLUDES = `path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
`;

const APT_CONF: Record<string, string> = {
  'docker-clean': 'DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\nAPT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };\nDir::Cache::pkgcache "";\nDir::Cache::srcpkgcache "";\n',
  'docker-no-languages': 'Acquire::Languages "none";\n',
  'docker-gzip-indexes': 'Acquire::GzipIndexes "true";\n',
  'docker-autoremove-suggests': 'Apt::AutoRemove::SuggestsImportant "false";\n',
};

/** debootstrap (minbase) of the suite into `root`, with its .deb downloads kept in `debCache`. */
export async function debootstrap(root: string, debCache: string, mirror: string): Promise<void> {
  await mkdir(debCache, { recursive: true });
  await run('debootstrap', ['--variant=minbase', `--cache-dir=${debCache}`, DEBIAN_SUITE, root, mirror], { ...BIG, timeout: 30 * 60_000 });
}

/** Makes a debootstrap tree look like debian:<suite>-slim: no docs/man/locales, apt set up for containers. */
export async function slimify(root: string, mirror: string): Promise<void> {
  await writeFile(join(root, 'etc/dpkg/dpkg.cfg.d/docker'), DPKG_EXCLUDES);
  for (const [name, text] of Object.entries(APT_CONF)) await writeFile(join(root, 'etc/apt/apt.conf.d', name), text);
  const security = mirror.replace(/\/debian\/?$/, '/debian-security');
  await writeFile(
    join(root, 'etc/apt/sources.list.d/debian.sources'),
    `Types: deb\nURIs: ${mirror}\nSuites: ${DEBIAN_SUITE} ${DEBIAN_SUITE}-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n\nTypes: deb\nURIs: ${security}\nSuites: ${DEBIAN_SUITE}-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n`,
  );
  await rm(join(root, 'etc/apt/sources.list'), { force: true });
  // Same selection as the dpkg excludes above, applied to what debootstrap already unpacked.
  await run('find', [join(root, 'usr/share/doc'), '-mindepth', '1', '!', '-type', 'd', '!', '-name', 'copyright', '-delete']);
  await run('find', [join(root, 'usr/share/doc'), '-mindepth', '1', '-type', 'd', '-empty', '-delete']);
  for (const dir of ['usr/share/man', 'usr/share/groff', 'usr/share/info', 'usr/share/lintian', 'usr/share/linda']) {
    await run('find', [join(root, dir), '-mindepth', '1', '-delete']).catch(() => undefined);
  }
  await run('find', [join(root, 'usr/share/locale'), '-mindepth', '1', '-maxdepth', '1', '!', '-name', 'locale.alias', '-exec', 'rm', '-rf', '{}', '+']).catch(() => undefined);
  for (const p of ['var/cache/apt', 'var/lib/apt/lists', 'var/log/apt']) await run('find', [join(root, p), '-mindepth', '1', '!', '-type', 'd', '-delete']).catch(() => undefined);
  for (const p of ['var/log/dpkg.log', 'var/log/bootstrap.log', 'var/log/alternatives.log', 'var/cache/ldconfig/aux-cache', 'etc/machine-id']) await rm(join(root, p), { force: true });
  await writeFile(join(root, 'etc/hostname'), '');
}

/**
 * Runs `script` with /bin/sh chrooted into an overlay of `lowers` (top first) and returns
 * nothing; what the script changed is left in `upper` in overlayfs form. The host's
 * resolv.conf and a policy-rc.d (no daemons started by maintainer scripts) live in `helper`,
 * a lower dir of their own, so they never reach the new layer.
 */
export async function installInOverlay(lowers: string[], upper: string, work: string, script: string): Promise<void> {
  const merged = `${upper}.merged`;
  const helper = `${upper}.helper`;
  await Promise.all([mkdir(upper, { recursive: true }), mkdir(work, { recursive: true }), mkdir(merged, { recursive: true }), mkdir(join(helper, 'etc'), { recursive: true }), mkdir(join(helper, 'usr/sbin'), { recursive: true })]);
  await writeFile(join(helper, 'etc/resolv.conf'), await readFile('/etc/resolv.conf'));
  await writeFile(join(helper, 'usr/sbin/policy-rc.d'), '#!/bin/sh\nexit 101\n');
  await chmod(join(helper, 'usr/sbin/policy-rc.d'), 0o755);
  await run('mount', ['-t', 'overlay', 'overlay', '-o', `lowerdir=${[helper, ...lowers].join(':')},upperdir=${upper},workdir=${work}`, merged]);
  try {
    await run('mount', ['-t', 'proc', 'proc', join(merged, 'proc')]);
    try {
      const env = { PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', DEBIAN_FRONTEND: 'noninteractive', LANG: 'C.UTF-8', HOME: '/root' };
      await run('chroot', [merged, '/bin/sh', '-ec', script], { ...BIG, env, timeout: 20 * 60_000 });
    } finally {
      await run('umount', [join(merged, 'proc')]);
    }
  } finally {
    await run('umount', [merged]);
    await rm(merged, { recursive: true, force: true });
    await rm(helper, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  }
}

/** Turns an overlay upper dir into OCI layer form: 0/0 char devices → `.wh.<name>`, opaque dirs → `.wh..wh..opq`. */
export async function upperToLayer(upper: string, dir = upper): Promise<void> {
  for (const name of await readdir(dir)) {
    const abs = join(dir, name);
    const st = await lstat(abs);
    if (st.isCharacterDevice() && st.rdev === 0) {
      await rm(abs);
      await writeFile(join(dir, `.wh.${name}`), '');
    } else if (st.isDirectory()) {
      const opaque = await run('getfattr', ['--absolute-names', '--only-values', '-n', 'trusted.overlay.opaque', abs]).then(
        (r) => r.stdout === 'y',
        () => false,
      );
      if (opaque) {
        await run('setfattr', ['-x', 'trusted.overlay.opaque', abs]);
        await writeFile(join(abs, '.wh..wh..opq'), '');
      }
      await upperToLayer(upper, abs);
    }
  }
}

/**
 * GNU tar of `root` as a layer: numeric owners, modes and hard links as they are, sorted,
 * device nodes and the mount-point contents a runtime provides left out.
 */
export async function tarLayer(root: string, out: string, exclude: string[] = []): Promise<void> {
  const excludes = ['./dev/*', './proc/*', './sys/*', './etc/resolv.conf', ...exclude].map((e) => `--exclude=${e}`);
  await run('tar', ['--numeric-owner', '--sort=name', '--format=posix', '--pax-option=exthdr.name=%d/PaxHeaders/%f,delete=atime,delete=ctime', ...excludes, '-C', root, '-cf', out, '.'], BIG);
}

/** Removes everything under `root` that matches one of `paths` (relative globs are not supported: exact paths). */
export async function prune(root: string, paths: string[]): Promise<void> {
  for (const p of paths) await rm(join(root, p), { recursive: true, force: true });
}
