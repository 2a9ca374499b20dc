// debian:bookworm-slim, nginx and redis images built offline from Debian packages (the
// machine's configured mirror) and cached under .fixtures/debian, so only the first run pays.
import { closeSync, openSync, writeSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fixturesDir } from './busybox';
import { debianMirror, debootstrap, DEBIAN_SUITE, installInOverlay, prune, slimify, tarLayer, upperToLayer } from './debian-rootfs';
import { buildImageFromLayerTars, LayeredImageConfig } from './layers';
import { BuiltImage } from './oci-layout';
import { pushImage } from './push';

/** Bump when the recipe changes, so cached images are rebuilt. */
const DEBIAN_FIXTURE_VERSION = 1;

/** Repository:tag each image is pushed as; a docker.io mirror then serves `debian:bookworm-slim`, `nginx`, `redis`. */
export const DEBIAN_IMAGE_NAMES = {
  base: `library/debian:${DEBIAN_SUITE}-slim`,
  nginx: 'library/nginx:latest',
  redis: 'library/redis:latest',
} as const;

export type DebianImageKind = keyof typeof DEBIAN_IMAGE_NAMES;

export interface DebianImages {
  images: Record<DebianImageKind, BuiltImage>;
  /** Wall time of the build that produced the cache (0 when it was already cached). */
  buildSeconds: number;
}

const PATH_ENV = 'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Package installs for the application images, each one layer over the base. */
const APPS: Record<Exclude<DebianImageKind, 'base'>, { script: string; config: LayeredImageConfig }> = {
  nginx: {
    // Logs to the container's stdout/stderr, as the official image does.
    script: 'apt-get install -y -qq --no-install-recommends nginx-light >/dev/null && ln -sf /dev/stdout /var/log/nginx/access.log && ln -sf /dev/stderr /var/log/nginx/error.log && apt-get clean',
    config: { env: [PATH_ENV], cmd: ['nginx', '-g', 'daemon off;'], exposedPorts: ['80/tcp'], stopSignal: 'SIGQUIT', history: ['debootstrap', 'apt-get install nginx-light'] },
  },
  redis: {
    script: 'apt-get install -y -qq --no-install-recommends redis-server redis-tools >/dev/null && mkdir -p /data && chown redis:redis /data && apt-get clean',
    config: { env: [PATH_ENV], cmd: ['redis-server', '--protected-mode', 'no'], user: 'redis', workingDir: '/data', exposedPorts: ['6379/tcp'], history: ['debootstrap', 'apt-get install redis-server'] },
  },
};

/** What package installs leave behind that is not part of the image (apt indexes came from a helper layer). */
const NOT_IN_LAYER = ['var/lib/apt/lists', 'var/cache/apt', 'var/log/apt', 'var/log/dpkg.log', 'var/log/alternatives.log', 'var/cache/ldconfig/aux-cache', 'var/cache/debconf/config.dat-old', 'var/cache/debconf/templates.dat-old', 'var/lib/dpkg/status-old'];

interface Stamp {
  stamp: string;
  images: Record<DebianImageKind, BuiltImage>;
  buildSeconds: number;
}

async function readStamp(file: string): Promise<Stamp | undefined> {
  return readFile(file, 'utf8').then(
    (t) => JSON.parse(t) as Stamp,
    () => undefined,
  );
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** One builder per fixtures dir: a lock file holding the builder's pid (a dead builder's lock is taken over). */
async function withLock<T>(lock: string, fn: () => Promise<T>, cached: () => Promise<T | undefined>): Promise<T> {
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch {
      const holder = Number(await readFile(lock, 'utf8').catch(() => '0'));
      if (!holder || !pidAlive(holder)) {
        await rm(lock, { force: true });
        continue;
      }
      await new Promise((r) => setTimeout(r, 2000));
      const done = await cached();
      if (done) return done;
    }
  }
  try {
    return (await cached()) ?? (await fn());
  } finally {
    await rm(lock, { force: true });
  }
}

/**
 * OCI layouts of debian:bookworm-slim (one layer from debootstrap, slimmed) and nginx/redis
 * (that layer plus one made by apt-get in an overlay over it). Built once, then cached.
 */
export async function buildDebianImages(dir = join(fixturesDir(), 'debian')): Promise<DebianImages> {
  const mirror = await debianMirror();
  const stamp = `v${DEBIAN_FIXTURE_VERSION} ${DEBIAN_SUITE} ${mirror}`;
  const stampFile = join(dir, 'fixture-stamp.json');
  const cached = async (): Promise<DebianImages | undefined> => {
    const s = await readStamp(stampFile);
    if (s?.stamp !== stamp) return undefined;
    // Where the layouts are now, not where they were built: a moved checkout (or a fixtures
    // directory shared by another worktree) keeps its cache.
    const images = Object.fromEntries(Object.entries(s.images).map(([kind, image]) => [kind, { ...image, dir: join(dir, `${kind}-oci`) }])) as DebianImages['images'];
    return { images, buildSeconds: 0 };
  };
  const hit = await cached();
  if (hit) return hit;
  await mkdir(dir, { recursive: true });
  return withLock(join(dir, '.lock'), () => build(dir, mirror, stamp, stampFile), cached);
}

async function build(dir: string, mirror: string, stamp: string, stampFile: string): Promise<DebianImages> {
  const started = Date.now();
  const work = join(dir, `.build-${process.pid}`);
  await rm(work, { recursive: true, force: true });
  await mkdir(work, { recursive: true });
  try {
    const root = join(work, 'rootfs');
    await debootstrap(root, join(dir, 'debs'), mirror);
    await slimify(root, mirror);
    const baseTar = join(work, 'base.tar');
    await tarLayer(root, baseTar);
    // apt indexes in a helper layer of their own, shared by the app installs and never shipped.
    const apt = join(work, 'apt');
    await installInOverlay([root], apt, join(work, 'apt.work'), 'apt-get update -qq');
    const images = {} as Record<DebianImageKind, BuiltImage>;
    images.base = await buildImageFromLayerTars([baseTar], join(work, 'base-oci'), { env: [PATH_ENV], cmd: ['bash'], history: ['debootstrap --variant=minbase, slimmed'] }, `${DEBIAN_SUITE}-slim`);
    for (const [name, app] of Object.entries(APPS) as Array<[Exclude<DebianImageKind, 'base'>, (typeof APPS)['nginx']]>) {
      const upper = join(work, name);
      await installInOverlay([apt, root], upper, join(work, `${name}.work`), app.script);
      await prune(upper, NOT_IN_LAYER);
      await upperToLayer(upper);
      const tar = join(work, `${name}.tar`);
      await tarLayer(upper, tar);
      images[name] = await buildImageFromLayerTars([baseTar, tar], join(work, `${name}-oci`), app.config);
    }
    const buildSeconds = Math.round((Date.now() - started) / 1000);
    for (const kind of Object.keys(images) as DebianImageKind[]) {
      const target = join(dir, `${kind}-oci`);
      await rm(target, { recursive: true, force: true });
      await rename(images[kind].dir, target);
      images[kind] = { ...images[kind], dir: target };
    }
    await writeFile(stampFile, JSON.stringify({ stamp, images, buildSeconds } satisfies Stamp));
    process.stderr.write(`debian fixture images built in ${buildSeconds} s\n`);
    return { images, buildSeconds };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Pushes debian:bookworm-slim, nginx and redis (building them first if not cached). */
export async function seedDebianImages(registryUrl: string): Promise<DebianImages> {
  const built = await buildDebianImages();
  for (const kind of Object.keys(DEBIAN_IMAGE_NAMES) as DebianImageKind[]) await pushImage(registryUrl, built.images[kind].dir, DEBIAN_IMAGE_NAMES[kind]);
  return built;
}
