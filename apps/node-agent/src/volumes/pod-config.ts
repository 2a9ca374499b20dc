// Everything a container gets from its pod spec besides the image: env (resolved), command and
// args (expanded), and bind mounts of the pod's volumes, which this sets up under the sandbox
// (emptyDir on disk or tmpfs, hostPath, and configMap/secret/downwardAPI/projected written by
// the atomic writer; secret and projected volumes on tmpfs as the kubelet does). Config volumes
// are refreshed in place while the pod runs.
import { Stats } from 'node:fs';
import { chmod, mkdir, readdir, realpath, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Container, memoryBytes, Pod, podConfigReferences, Volume } from '@coxswain/api/browser';
import { BindMount, isMountPoint, MountPropagation, runCommand } from '@coxswain/runtime';
import { expandCommand, resolveEnv } from '../env/resolve-env';
import { ServiceForEnv } from '../env/service-env';
import { expandVars } from '../env/expand';
import { applyFsGroup, fsGroupChangeNeeded, fsGroupFileMode } from '../runtime/pod-security';
import { writeAtomically } from './atomic-writer';
import { ConfigFetcher } from './config-fetcher';
import { isConfigVolume, Payload, PayloadContext, volumePayload, VolumeSetupError } from './payload';

// Through the runtime's spawner (coxspawn), not a fork of the agent per command.
const run = (file: string, args: string[]) => runCommand(file, args, { timeoutMs: 60_000 });

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface PreparedContainer {
  /** `NAME=value`, container env after image env (same names replaced). */
  env: string[];
  command?: string[];
  args?: string[];
  mounts: BindMount[];
  /** Event messages to record (InvalidEnvironmentVariableNames). */
  warnings: string[];
}

export interface PodConfigOptions {
  fetcher: ConfigFetcher;
  /**
   * The Services a starting container's service environment variables come from (the agent's
   * Service informer); asked at container start only, not by volume refreshes. Absent: none.
   */
  services?(): Promise<ServiceForEnv[]>;
  hostIP(): string;
  nodeAllocatable(): { cpu?: string; memory?: string };
  /** The current Pod object for a uid (for refreshes). */
  podFor(uid: string): Pod | undefined;
  warn?(message: string, error: unknown): void;
  /** Records a Warning Event on the pod. */
  event?(uid: string, reason: string, message: string): void;
  /** Resolves persistentVolumeClaim volumes (absent: they fail to mount with the reason). */
  claims?: { pathFor(namespace: string, volume: string, claimName: string): Promise<string> };
}

/** A running pod's sandbox, as the runtime records it. */
export interface SandboxRef {
  uid: string;
  dir: string;
  ip: string;
}

/** Image env first, then the container's; a later name replaces an earlier one. */
export function mergeEnv(imageEnv: string[], containerEnv: Array<[string, string]>): string[] {
  const merged = new Map<string, string>();
  for (const line of imageEnv) {
    const eq = line.indexOf('=');
    if (eq > 0) merged.set(line.slice(0, eq), line.slice(eq + 1));
  }
  for (const [k, v] of containerEnv) merged.set(k, v);
  return [...merged].map(([k, v]) => `${k}=${v}`);
}

/** tmpfs size for a memory-backed volume: its sizeLimit, else the pod's memory limits (if all set). */
export function memoryVolumeSize(volume: Obj, pod: Pod): number | undefined {
  const limit = volume.emptyDir?.sizeLimit;
  if (limit !== undefined) return memoryBytes(limit);
  const limits = pod.spec.containers.map((c) => c.resources?.limits?.memory);
  return limits.length && limits.every((l) => l !== undefined) ? limits.reduce((n, l) => n + memoryBytes(l), 0) : undefined;
}

const HOST_PATH_KINDS: Record<string, [(s: Stats) => boolean, string]> = {
  Directory: [(s) => s.isDirectory(), 'a directory'],
  DirectoryOrCreate: [(s) => s.isDirectory(), 'a directory'],
  File: [(s) => s.isFile(), 'a file'],
  FileOrCreate: [(s) => s.isFile(), 'a file'],
  Socket: [(s) => s.isSocket(), 'a socket file'],
  CharDevice: [(s) => s.isCharacterDevice(), 'a character device'],
  BlockDevice: [(s) => s.isBlockDevice(), 'a block device'],
};

/**
 * Why a hostPath of `type` cannot be mounted, in the kubelet's words (`hostPath type check
 * failed: /x is not a directory`), or undefined; `info` is the path's stat, undefined when it
 * does not exist. An empty type checks nothing.
 */
export function hostPathTypeError(path: string, type: string | undefined, info: Stats | undefined): string | undefined {
  const kind = type ? HOST_PATH_KINDS[type] : undefined;
  if (!kind || (info && kind[0](info))) return undefined;
  return `hostPath type check failed: ${path} is not ${kind[1]}`;
}

/** Variables a `$(VAR)` expansion looked up, noting those without a value. */
class EnvLookup extends Map<string, string> {
  readonly missing = new Set<string>();
  override has(key: string): boolean {
    if (!super.get(key)) this.missing.add(key);
    return true;
  }
  override get(key: string): string {
    return super.get(key) ?? '';
  }
}

/**
 * A `subPathExpr` with `$(VAR)` expanded from the container's env (the kubelet's
 * ExpandContainerVolumeMounts): a variable that is unset or empty fails the mount. The result is
 * then checked as a subPath (absolute or `..` fails).
 */
export function expandSubPathExpr(volume: string, expr: string, env: Array<[string, string]>): string {
  const lookup = new EnvLookup(env);
  const expanded = expandVars(expr, lookup);
  if (lookup.missing.size) throw new VolumeSetupError(volume, `subPathExpr "${expr}": missing value for ${[...lookup.missing].sort().join(', ')}`);
  return expanded;
}

/** A volumeMount's mountPropagation as a bind mount's: None (the default) is rprivate. */
export function mountPropagation(mode: string | undefined): MountPropagation | undefined {
  if (mode === 'HostToContainer') return 'rslave';
  if (mode === 'Bidirectional') return 'rshared';
  return undefined;
}

const volumeRoot = (sandboxDir: string) => join(sandboxDir, 'volumes');

const fsGroupOf = (pod: Pod): number | undefined => (pod.spec.securityContext as { fsGroup?: number } | undefined)?.fsGroup;
const fsGroupChangePolicyOf = (pod: Pod): string | undefined => (pod.spec.securityContext as { fsGroupChangePolicy?: string } | undefined)?.fsGroupChangePolicy;

/**
 * Writes a config volume; under fsGroup its files get the group's read bits and the pod's
 * group, as the kubelet's SetVolumeOwnership does after each write (read-only volume).
 */
async function writeConfigVolume(dir: string, payload: Payload, fsGroup: number | undefined): Promise<void> {
  const files: Payload = new Map([...payload].map(([path, file]) => [path, { ...file, mode: fsGroupFileMode(file.mode, fsGroup) }]));
  const written = await writeAtomically(dir, files);
  if (written && fsGroup !== undefined) await applyFsGroup(dir, fsGroup, true);
}

/** Mounts a tmpfs at `dir` unless one is there (a directory mkdir just made is not a mount point). */
async function mountTmpfs(dir: string, sizeBytes?: number): Promise<void> {
  // The host's mount table, not a `mountpoint` process per volume (each exec is ~5 ms here).
  if ((await mkdir(dir, { recursive: true })) === undefined && (await isMountPoint(dir))) return;
  const options = ['mode=0755', ...(sizeBytes ? [`size=${sizeBytes}`] : [])].join(',');
  await run('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
}

export class PodConfig {
  constructor(private readonly opts: PodConfigOptions) {}

  /** The node's address (status.hostIP, and a hostNetwork pod's IP). */
  hostIP(): string {
    return this.opts.hostIP();
  }

  private context(pod: Pod, ip: string, objects: PayloadContext['objects']): PayloadContext {
    return { pod, objects, podIP: ip, hostIP: this.opts.hostIP(), nodeAllocatable: this.opts.nodeAllocatable() };
  }

  /** Sets the pod's volumes up (idempotent) and resolves one container; throws ContainerConfigError or VolumeSetupError. */
  async prepare(pod: Pod, container: Container, imageEnv: string[], sandbox: { dir: string; ip: string }): Promise<PreparedContainer> {
    const [fetched, services] = await Promise.all([this.opts.fetcher.objects(pod.metadata.namespace ?? 'default', podConfigReferences(pod.spec)), this.opts.services?.()]);
    const objects = services ? { ...fetched, services } : fetched;
    const ctx = this.context(pod, sandbox.ip, objects);
    const sources = new Map<string, string>();
    for (const volume of (pod.spec.volumes ?? []) as Obj[]) sources.set(volume.name, await this.setUpVolume(volume, pod, ctx, sandbox.dir));
    const resolved = resolveEnv({ pod, container, podIP: sandbox.ip, hostIP: ctx.hostIP, nodeAllocatable: ctx.nodeAllocatable, objects });
    for (const warning of resolved.warnings) this.opts.event?.(pod.metadata.uid!, 'InvalidEnvironmentVariableNames', warning);
    const mounts: BindMount[] = [];
    for (const m of container.volumeMounts ?? []) {
      const root = sources.get(m.name);
      if (root === undefined) throw new VolumeSetupError(m.name, `volume "${m.name}" is not defined in the pod`);
      const volume = (pod.spec.volumes ?? []).find((v) => v.name === m.name) as Obj;
      const readonly = m.readOnly || (isConfigVolume(volume) || volume.persistentVolumeClaim?.readOnly === true ? true : undefined);
      const subPath = m.subPathExpr ? expandSubPathExpr(m.name, m.subPathExpr, resolved.env) : m.subPath;
      const propagation = mountPropagation(m.mountPropagation);
      mounts.push({ source: await this.subPathSource(root, volume, subPath), destination: m.mountPath, readonly, ...(propagation ? { propagation } : {}) });
    }
    return {
      env: mergeEnv(imageEnv, resolved.env),
      command: expandCommand(container.command, resolved.env),
      args: expandCommand(container.args, resolved.env),
      mounts,
      warnings: resolved.warnings,
    };
  }

  /** A subPath mount binds the file or directory itself; inside a config volume that is the current version, which later updates do not replace (as in Kubernetes). */
  private async subPathSource(root: string, volume: Obj, subPath: string | undefined): Promise<string> {
    if (!subPath) return root;
    if (subPath.startsWith('/') || subPath.split('/').includes('..')) throw new VolumeSetupError(volume.name, `invalid subPath "${subPath}"`);
    const path = join(root, subPath);
    if (isConfigVolume(volume)) return realpath(path).catch(() => { throw new VolumeSetupError(volume.name, `subPath "${subPath}" does not exist in the volume`); });
    await mkdir(path, { recursive: true }).catch(() => undefined);
    return path;
  }

  private async setUpVolume(volume: Obj, pod: Pod, ctx: PayloadContext, sandboxDir: string): Promise<string> {
    const dir = join(volumeRoot(sandboxDir), volume.name);
    if (volume.hostPath) return this.hostPath(volume);
    if (volume.persistentVolumeClaim) {
      if (!this.opts.claims) throw new VolumeSetupError(volume.name, 'this node agent does not mount PersistentVolumeClaims');
      const path = await this.opts.claims.pathFor(pod.metadata.namespace ?? 'default', volume.name, volume.persistentVolumeClaim.claimName);
      // The kubelet gives the pod's fsGroup ownership of a claim's files: every time (Always), or
      // only when the claim's root is not already right (OnRootMismatch: a large volume is not walked).
      const fsGroup = fsGroupOf(pod);
      if (fsGroup !== undefined && (await fsGroupChangeNeeded(path, fsGroup, fsGroupChangePolicyOf(pod)))) await applyFsGroup(path, fsGroup);
      return path;
    }
    if (volume.emptyDir) {
      if (volume.emptyDir.medium === 'Memory') await mountTmpfs(dir, memoryVolumeSize(volume, pod));
      else await mkdir(dir, { recursive: true });
      // emptyDir is world-writable as in Kubernetes; fsGroup makes it the pod's group (and
      // setgid, which the chmod keeps: each container start prepares it again).
      const fsGroup = fsGroupOf(pod);
      await chmod(dir, fsGroup === undefined ? 0o777 : 0o2777);
      if (fsGroup !== undefined && (await fsGroupChangeNeeded(dir, fsGroup, fsGroupChangePolicyOf(pod)))) await applyFsGroup(dir, fsGroup);
      return dir;
    }
    if (isConfigVolume(volume)) {
      if (volume.secret || volume.projected) await mountTmpfs(dir);
      await writeConfigVolume(dir, volumePayload(volume, ctx), fsGroupOf(pod));
      return dir;
    }
    const kind = Object.keys(volume).find((k) => k !== 'name') ?? 'unknown';
    throw new VolumeSetupError(volume.name, `volume type ${kind} is not supported on this node`);
  }

  /** The kubelet's hostPath type handling: DirectoryOrCreate/FileOrCreate make what is missing, the other types are checked. */
  private async hostPath(volume: Obj): Promise<string> {
    const { path, type } = volume.hostPath as { path: string; type?: string };
    if (type === 'DirectoryOrCreate') await mkdir(path, { recursive: true, mode: 0o755 });
    // An empty file, mode 0644; not its parent directories (a missing parent fails the mount, as in Kubernetes).
    if (type === 'FileOrCreate') {
      await writeFile(path, '', { flag: 'wx', mode: 0o644 }).catch((error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw new VolumeSetupError(volume.name, `open ${path}: ${error.message.replace(/^E\w+: /, '').replace(/, open .*$/, '')}`);
      });
    }
    const problem = hostPathTypeError(path, type, await stat(path).catch(() => undefined));
    if (problem) throw new VolumeSetupError(volume.name, problem);
    return path;
  }

  /** Rewrites config volumes of running pods whose objects changed (the atomic swap). */
  async refresh(sandboxes: SandboxRef[]): Promise<void> {
    this.opts.fetcher.prune();
    for (const t of sandboxes) {
      const uid = t.uid;
      const pod = this.opts.podFor(uid);
      if (!pod || pod.metadata.deletionTimestamp) continue;
      const volumes = ((pod.spec.volumes ?? []) as Obj[]).filter(isConfigVolume);
      if (!volumes.length) continue;
      try {
        const objects = await this.opts.fetcher.objects(pod.metadata.namespace ?? 'default', podConfigReferences(pod.spec));
        const ctx = this.context(pod, t.ip, objects);
        // A payload that cannot be built now (object deleted) keeps the last good files, like the kubelet.
        for (const volume of volumes) await writeConfigVolume(join(volumeRoot(t.dir), volume.name), volumePayload(volume as Volume & Obj, ctx), fsGroupOf(pod)).catch((error) => this.opts.warn?.(`volume ${volume.name} of pod ${uid} not refreshed`, error));
      } catch (error) {
        this.opts.warn?.(`volumes of pod ${uid} not refreshed`, error);
      }
    }
  }

  /** Unmounts the pod's tmpfs volumes so the sandbox directory can be removed. */
  async teardown(sandboxDir: string): Promise<void> {
    const root = volumeRoot(sandboxDir);
    const names = await readdir(root).catch(() => [] as string[]);
    for (const name of names) {
      const dir = join(root, name);
      if (await isMountPoint(dir)) await run('umount', [dir]).catch(() => run('umount', ['-l', dir]));
    }
  }
}
