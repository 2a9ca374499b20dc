// PodRuntime over libs/runtime: image store (overlay rootfs), runc containers through the
// shim, a network namespace + veth + IP per pod, and shared ipc/uts namespaces kept alive by
// bind mounts (no pause container needed).
import { chmod, mkdir, readdir, readFile, rm, stat, writeFile, rename } from 'node:fs/promises';
import { hostname as osHostname } from 'node:os';
import { join } from 'node:path';
import { cpuMillis, memoryBytes, Pod } from '@coxswain/api/browser';
import { checkMountPropagation, CONTAINER_LABELS, ContainerDriver, HostPortMapping, ImageNotFoundError, ImageStore, isMountPoint, NETNS_DIR, PodCgroups, makeRShared, PodNetwork, PreparedRootfs, QosClass, runCommand, SharedRead } from '@coxswain/runtime';
import { ObservedContainer, ObservedPod, PodView } from '../sync/model';
import { ContainerConfigError, ImagePullError, PodRuntime } from '../runtime-port';
import { containerOomScoreAdj, podQos } from './pod-qos';
import { applyFsGroup, containerSecurity } from './pod-security';
import { PodConfig } from '../volumes/pod-config';
import { diskUsageBytes } from '../volumes/disk-usage';
import { RecordCache } from './record-cache';
import { podFieldValue } from '../env/resolve-env';
import { podDnsMounts, PodDnsOptions, writePodDnsFiles } from './dns-mounts';
import { podKernelHostname } from './dns-files';
import { createTerminationFile, readTerminationFile, removeTerminationFile, terminationFileMount, terminationFilePath } from './termination-file';

// Through the runtime's spawner (coxspawn), not a fork of the agent per command.
const run = (file: string, args: string[]) => runCommand(file, args, { timeoutMs: 60_000 });

interface SandboxRecord {
  uid: string;
  namespace: string;
  name: string;
  gracePeriodSeconds: number;
  ip: string;
  /** The pod's cgroup below the node's parent (absent for sandboxes made before QoS cgroups). */
  podCgroup?: string;
  qos?: QosClass;
  cpuRequestMillis?: number;
  /** The UTS hostname and HOSTNAME of its containers (absent in records made before it was kept). */
  hostname?: string;
  /** spec.hostNetwork: no pod netns, address or veth; `ip` is the node's, the network and UTS namespaces the host's. */
  hostNetwork?: boolean;
}

export interface RuncPodRuntimeOptions {
  root: string;
  images: ImageStore;
  containers: ContainerDriver;
  network: PodNetwork;
  /** The full Pod object for a uid (the sync plan only carries a view). */
  podFor(uid: string): Pod | undefined;
  logRoot: string;
  /** The QoS cgroup hierarchy; without it pods share `<parent>/<uid>` as before. */
  podCgroups?: PodCgroups;
  /** Node memory capacity, for Burstable containers' oom_score_adj. */
  memoryCapacityBytes?: number;
  /** The lowest oom_score_adj the agent may hand out (see oomScoreAdjFloor). */
  oomScoreAdjFloor?: number;
  /** Where `seccompProfile: {type: Localhost}` profiles live; default `<root>/seccomp`. */
  seccompDir?: string;
  /** Host ports the agent itself listens on: pods may not claim them. */
  reservedHostPorts?: number[];
  /** Env, command/args expansion and volumes from ConfigMaps, Secrets and the downward API (volumes/). */
  podConfig?: PodConfig;
  /** Registers credentials from the pod's imagePullSecrets before its image is pulled. */
  pullCredentials?(pod: Pod, image: string): Promise<void>;
  /** Cluster DNS for /etc/resolv.conf and /etc/hosts; without it containers keep their image's files. */
  dns?: PodDnsOptions;
  /** The node's address, a hostNetwork pod's IP; default: the one PodConfig hands the downward API. */
  hostIP?(): string;
}

const STATE_BY_STATUS: Record<string, ObservedContainer['state'] | undefined> = { created: 'created', running: 'running', exited: 'exited' };

/** kubelet's layout: /var/log/pods/<ns>_<pod>_<uid>/<container>/<attempt>.log */
export function containerLogPath(logRoot: string, pod: { namespace: string; name: string; uid: string }, container: string, attempt: number): string {
  return join(logRoot, `${pod.namespace}_${pod.name}_${pod.uid}`, container, `${attempt}.log`);
}

export function containerId(uid: string, container: string, attempt: number): string {
  return `${uid}-${container}-${attempt}`;
}

/** Image entrypoint/cmd combined with the container's command/args, Kubernetes' way. */
export function containerArgs(image: { entrypoint?: string[]; cmd?: string[] }, container: { command?: string[]; args?: string[] }): string[] {
  if (container.command?.length) return [...container.command, ...(container.args ?? [])];
  return [...(image.entrypoint ?? []), ...(container.args ?? image.cmd ?? [])];
}

/** The DNAT mappings of the pod's `hostPort`s, bound to `hostIP` when one is given (0.0.0.0: every address). */
export function podHostPorts(pod: Pod): HostPortMapping[] {
  return pod.spec.containers.flatMap((c) =>
    (c.ports ?? []).filter((p) => p.hostPort).map((p) => ({
      hostPort: p.hostPort!,
      containerPort: p.containerPort,
      protocol: (p.protocol ?? 'TCP').toLowerCase() as 'tcp' | 'udp',
      ...(p.hostIP ? { hostIP: p.hostIP } : {}),
    })),
  );
}

export class RuncPodRuntime implements PodRuntime {
  /** Sandbox records never change once written: read each from disk once, not on every relist. */
  private readonly records = new RecordCache<SandboxRecord>();
  /** Rootfs mounts begun with a new pod's sandbox, by container id (see prefetchRootfs). */
  private readonly prefetched = new Map<string, { image: string; rootfs: Promise<PreparedRootfs> }>();
  /**
   * The Burstable parent's shares after Burstable pods went: pods removed together share one
   * update that began after their sandboxes were gone (110 at once made 110 updates, each a
   * dozen cgroup writes).
   */
  private readonly burstableShares = new SharedRead(async () => this.opts.podCgroups?.ensureNode(await this.burstableRequests()));

  constructor(private readonly opts: RuncPodRuntimeOptions) {}

  private hostIP(): string | undefined {
    return this.opts.hostIP?.() ?? this.opts.podConfig?.hostIP();
  }

  private clusterDomain(): string {
    return this.opts.dns?.clusterDomain ?? 'cluster.local';
  }

  private sandboxDir(uid: string): string {
    return join(this.opts.root, 'sandboxes', uid);
  }

  private async readRecord(uid: string): Promise<SandboxRecord | undefined> {
    const cached = this.records.get(uid);
    if (cached) return cached;
    try {
      const record = JSON.parse(await readFile(join(this.sandboxDir(uid), 'sandbox.json'), 'utf8')) as SandboxRecord;
      this.records.set(uid, record);
      return record;
    } catch {
      return undefined;
    }
  }

  /** The sandboxes on disk (one readdir; records come from the cache after their first read). */
  private async listSandboxes(): Promise<SandboxRecord[]> {
    let uids: string[] = [];
    try {
      uids = await readdir(join(this.opts.root, 'sandboxes'));
    } catch {
      /* no sandboxes yet */
    }
    this.records.retainOnly(uids);
    const out: SandboxRecord[] = [];
    for (const uid of uids) {
      const record = await this.readRecord(uid);
      if (record) out.push(record);
    }
    return out;
  }

  async listPods(): Promise<ObservedPod[]> {
    const pods = new Map<string, ObservedPod>();
    for (const record of await this.listSandboxes()) {
      const uid = record.uid;
      pods.set(uid, { uid, namespace: record.namespace, name: record.name, gracePeriodSeconds: record.gracePeriodSeconds, sandbox: { ready: true, ip: record.ip }, containers: [] });
    }
    for (const state of await this.opts.containers.list()) {
      const uid = state.labels[CONTAINER_LABELS.podUid];
      if (!uid) continue;
      let pod = pods.get(uid);
      if (!pod) {
        pod = { uid, namespace: state.labels[CONTAINER_LABELS.podNamespace] ?? '', name: state.labels[CONTAINER_LABELS.podName] ?? '', containers: [] };
        pods.set(uid, pod);
      }
      pod.containers.push({
        id: state.id,
        name: state.labels[CONTAINER_LABELS.containerName] ?? state.id,
        attempt: Number(state.labels[CONTAINER_LABELS.attempt] ?? 0),
        state: STATE_BY_STATUS[state.status] ?? 'exited',
        exitCode: state.exitCode,
        oomKilled: state.oomKilled,
        startedAt: state.startedAt,
        finishedAt: state.finishedAt,
      });
    }
    return [...pods.values()];
  }

  /** The sandbox's IPC and UTS namespace mounts: one umount for both (it goes on past a target that is not mounted). */
  private async unmountNamespaces(uid: string): Promise<void> {
    const ns = join(this.sandboxDir(uid), 'ns');
    await run('umount', [join(ns, 'ipc'), join(ns, 'uts')]).catch(() => undefined);
  }

  /** Removes what a failed createSandbox made; each step is safe when there is nothing to remove. */
  private async undoSandbox(uid: string): Promise<void> {
    await this.releasePrefetched(uid);
    await this.opts.network.teardownPod(uid).catch(() => undefined);
    await this.unmountNamespaces(uid);
    await this.opts.podCgroups?.removePod(uid).catch(() => undefined);
    await rm(this.sandboxDir(uid), { recursive: true, force: true }).catch(() => undefined);
  }

  async createSandbox(view: PodView): Promise<void> {
    const uid = view.metadata.uid;
    const pod = this.opts.podFor(uid);
    const hostPorts = pod ? podHostPorts(pod) : [];
    const reserved = hostPorts.find((p) => this.opts.reservedHostPorts?.includes(p.hostPort));
    if (reserved) throw new Error(`hostPort ${reserved.hostPort} is reserved: the node agent listens on it`);
    // A hostNetwork pod is in the node's network and UTS namespaces (the kubelet sets no hostname
    // for it: it has the node's). Else spec.hostname (else the name), or the FQDN with
    // setHostnameAsFQDN: an FQDN too long fails here, before anything is made.
    const hostNetwork = pod?.spec.hostNetwork === true;
    const hostname = hostNetwork ? osHostname() : pod ? podKernelHostname(pod, this.clusterDomain()) : view.metadata.name.slice(0, 63);
    const hostIP = hostNetwork ? this.hostIP() : undefined;
    if (hostNetwork && !hostIP) throw new Error('a hostNetwork pod needs the node\'s IP, and this runtime was given none');
    const dir = this.sandboxDir(uid);
    // mkdir answers the first directory it made: none when this pod had a sandbox dir already.
    if (pod && (await mkdir(join(dir, 'ns'), { recursive: true })) !== undefined) this.prefetchRootfs(uid, pod);
    // The cgroup, the network and the IPC/UTS namespaces do not depend on each other: made
    // together (one after another they were ~45 ms of a pod's start here, mostly processes).
    const [qos, net] = await allSettledOrFirstError([
      pod ? this.ensurePodCgroup(uid, pod) : Promise.resolve(undefined),
      // Its container ports are the node's: nothing to set up or DNAT.
      hostIP ? Promise.resolve({ ip: hostIP }) : this.opts.network.setupPod(uid, { hostPorts }),
      persistNamespaces(join(dir, 'ns'), hostNetwork ? undefined : hostname),
    ] as const).catch(async (error: unknown) => {
      // A sandbox without its record is not seen by the relist, so nothing would ever remove
      // what this attempt made (the pod's address, veth and namespaces, its cgroup).
      await this.undoSandbox(uid);
      throw error;
    });
    if (pod && this.opts.dns) await writePodDnsFiles(dir, pod, net.ip, this.opts.dns);
    const record: SandboxRecord = { uid, namespace: view.metadata.namespace, name: view.metadata.name, gracePeriodSeconds: view.spec.terminationGracePeriodSeconds ?? 30, ip: net.ip, hostname, ...(hostNetwork ? { hostNetwork } : {}), ...qos };
    await writeFile(join(dir, 'sandbox.json.tmp'), JSON.stringify(record));
    await rename(join(dir, 'sandbox.json.tmp'), join(dir, 'sandbox.json'));
    this.records.set(uid, record);
  }

  /**
   * Mounts a new pod's container filesystems while its sandbox is made (the overlay mount and
   * its records were ~10 ms after the sandbox, one after the other). Only first attempts of an
   * image that is here and will not be pulled again (policy not Always); a missing image fails
   * quietly and startContainer mounts it after the pull. startContainer takes the mount, removePod
   * releases one never taken. With init containers, only the first of them: it is what starts
   * next, and the app containers start after init, perhaps much later.
   */
  private prefetchRootfs(uid: string, pod: Pod): void {
    const first = pod.spec.initContainers?.length ? [pod.spec.initContainers[0]] : pod.spec.containers;
    for (const c of first) {
      if (!c.image || (c.imagePullPolicy ?? 'IfNotPresent') === 'Always') continue;
      const id = containerId(uid, c.name, 0);
      const rootfs = this.opts.images.prepareRootfs(c.image, id);
      rootfs.catch(() => undefined);
      this.prefetched.set(id, { image: c.image, rootfs });
    }
  }

  /**
   * The container's rootfs: the one prefetched with its sandbox if it is of the image its ref
   * names now (a pull in between may have moved the tag, the spec may name another image),
   * else a fresh mount.
   */
  private async takeRootfs(image: string, id: string): Promise<PreparedRootfs> {
    const early = this.prefetched.get(id);
    this.prefetched.delete(id);
    if (early) {
      const [got, current] = await Promise.all([early.rootfs.catch(() => undefined), this.opts.images.get(image)]);
      if (got && early.image === image && got.image.manifestDigest === current?.manifestDigest) return got;
      // prepareRootfs keeps an existing mount of the id as is: the stale one must go first.
      if (got) await this.opts.images.releaseRootfs(id);
    }
    return this.opts.images.prepareRootfs(image, id);
  }

  /** Unmounts the pod's prefetched rootfs that no container took (removed or failed sandbox). */
  private async releasePrefetched(uid: string): Promise<void> {
    const ids = [...this.prefetched.keys()].filter((id) => id.startsWith(`${uid}-`));
    for (const id of ids) this.prefetched.delete(id);
    // releaseRootfs queues behind the id's prepare, so a mount still being made is undone too.
    await Promise.all(ids.map((id) => this.opts.images.releaseRootfs(id).catch(() => undefined)));
  }

  /** The pod's cgroup by QoS class with pod-level limits; the Burstable parent's shares follow. */
  private async ensurePodCgroup(uid: string, pod: Pod): Promise<Pick<SandboxRecord, 'podCgroup' | 'qos' | 'cpuRequestMillis'> | undefined> {
    const cgroups = this.opts.podCgroups;
    if (!cgroups) return undefined;
    const { qos, limits, cpuRequestMillis } = podQos(pod.spec, cgroups.podPidsLimit);
    if (qos === 'Burstable') await cgroups.ensureNode(cpuRequestMillis + (await this.burstableRequests(uid)));
    return { podCgroup: await cgroups.ensurePod(qos, uid, limits), qos, cpuRequestMillis };
  }

  /** CPU requested by the Burstable pods this node runs, except `exceptUid`. */
  private async burstableRequests(exceptUid?: string): Promise<number> {
    const uids = await readdir(join(this.opts.root, 'sandboxes')).catch(() => [] as string[]);
    let sum = 0;
    for (const uid of uids.filter((u) => u !== exceptUid)) {
      const r = await this.readRecord(uid);
      if (r?.qos === 'Burstable') sum += r.cpuRequestMillis ?? 0;
    }
    return sum;
  }

  /** Creates the QoS hierarchy with node allocatable (idempotent; keeps the Burstable shares of adopted pods). */
  async init(): Promise<void> {
    // The kubelet's MakeRShared of its root: volumes under it can then be HostToContainer or Bidirectional.
    await mkdir(this.opts.root, { recursive: true });
    await makeRShared(this.opts.root);
    await this.opts.podCgroups?.ensureNode(await this.burstableRequests());
  }

  async pullImage(image: string, view?: PodView): Promise<void> {
    const pod = view ? this.opts.podFor(view.metadata.uid) : undefined;
    if (pod?.spec.imagePullSecrets?.length) await this.opts.pullCredentials?.(pod, image);
    try {
      await this.opts.images.pull(image);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new ImagePullError(`failed to pull image "${image}": ${message}`, error instanceof ImageNotFoundError);
    }
  }

  async startContainer(view: PodView, name: string, attempt: number): Promise<string> {
    const uid = view.metadata.uid;
    const pod = this.opts.podFor(uid);
    const container = pod && [...(pod.spec.initContainers ?? []), ...pod.spec.containers].find((c) => c.name === name);
    if (!pod || !container?.image) throw new Error(`no spec for container ${name} of pod ${uid}`);
    const record = await this.readRecord(uid);
    if (!record) throw new Error(`pod ${uid} has no sandbox`);
    const id = containerId(uid, name, attempt);
    const { rootfs, config } = await this.takeRootfs(container.image, id);
    let security;
    let prepared;
    let termination;
    try {
      security = await containerSecurity(pod, container, rootfs, config.user, this.opts.seccompDir ?? join(this.opts.root, 'seccomp'));
      // Volumes (with fsGroup ownership, see PodConfig), env, command and args.
      prepared = await this.opts.podConfig?.prepare(pod, container, config.env ?? [], { dir: this.sandboxDir(uid), ip: record.ip });
      // HostToContainer/Bidirectional need the source on a shared mount (containerd refuses the container otherwise).
      const propagation = await checkMountPropagation(prepared?.mounts ?? []);
      if (propagation) throw new ContainerConfigError(propagation);
      termination = terminationMount(this.sandboxDir(uid), id, container);
      if (termination) await createTerminationFile(termination.source);
    } catch (error) {
      await this.opts.images.releaseRootfs(id).catch(() => undefined);
      throw error;
    }
    const volumeDir = (volume: string) => join(this.sandboxDir(uid), 'volumes', volume);
    const fsGroup = pod.spec.securityContext?.fsGroup;
    const mounts = prepared?.mounts ?? [];
    for (const mount of prepared ? [] : (container.volumeMounts ?? [])) {
      const volume = pod.spec.volumes?.find((v) => v.name === mount.name);
      const hostPath = (volume?.hostPath as { path?: string } | undefined)?.path;
      const source = hostPath ?? volumeDir(mount.name);
      if (!hostPath) {
        // emptyDir is world-writable as in Kubernetes; fsGroup makes it the pod's group (hostPath never).
        await mkdir(source, { recursive: true });
        await chmod(source, 0o777);
        if (fsGroup !== undefined) await applyFsGroup(source, fsGroup);
      }
      mounts.push({ source, destination: mount.mountPath, readonly: mount.readOnly });
    }
    mounts.push(...(await podDnsMounts(this.sandboxDir(uid))));
    // Last: inside the /dev tmpfs, and inside any volume mounted above a custom path.
    if (termination) mounts.push(termination);
    const hostname = record.hostname ?? podKernelHostname(pod, this.clusterDomain());
    const env = prepared
      ? [...prepared.env, `HOSTNAME=${hostname}`]
      : [...(config.env ?? []), ...(container.env ?? []).map((e) => `${e.name}=${e.value ?? fieldRef(e.valueFrom, pod, record)}`), `HOSTNAME=${hostname}`];
    const requests = container.resources?.requests ?? {};
    const limits = container.resources?.limits ?? {};
    const ns = join(this.sandboxDir(uid), 'ns');
    // The driver removes a container it could not create or start; its rootfs goes too, or
    // nothing would unmount it (no container of that id is ever listed to be removed). Not when
    // the id was taken (EEXIST): that container exists, and runs on this rootfs.
    const releaseRootfs = async (error: unknown) => {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
        await this.opts.images.releaseRootfs(id).catch(() => undefined);
        if (termination) await removeTerminationFile(termination.source).catch(() => undefined);
      }
      throw error;
    };
    await this.opts.containers.createContainer(
      {
        id,
        rootfs,
        args: containerArgs(config, prepared ? { command: prepared.command, args: prepared.args } : container),
        env,
        cwd: container.workingDir ?? config.workingDir ?? '/',
        hostname,
        podUid: uid,
        ...security,
        ...(record.podCgroup ? { podCgroup: record.podCgroup } : {}),
        ...(this.opts.memoryCapacityBytes ? { oomScoreAdj: Math.max(this.opts.oomScoreAdjFloor ?? -1000, containerOomScoreAdj(pod.spec, container, this.opts.memoryCapacityBytes)) } : {}),
        resources: {
          cpuRequestMillis: requests.cpu !== undefined ? cpuMillis(requests.cpu) : undefined,
          cpuLimitMillis: limits.cpu !== undefined ? cpuMillis(limits.cpu) : undefined,
          memoryLimitBytes: limits.memory !== undefined ? memoryBytes(limits.memory) : undefined,
          pidsLimit: 4096,
        },
        namespaces: record.hostNetwork
          ? { network: 'host', ipc: { path: join(ns, 'ipc') }, uts: 'host' }
          : { network: { path: `${NETNS_DIR}/${this.opts.network.names(uid).netns}` }, ipc: { path: join(ns, 'ipc') }, uts: { path: join(ns, 'uts') } },
        mounts,
        labels: {
          [CONTAINER_LABELS.podUid]: uid,
          [CONTAINER_LABELS.podNamespace]: pod.metadata.namespace ?? '',
          [CONTAINER_LABELS.podName]: pod.metadata.name ?? '',
          [CONTAINER_LABELS.containerName]: name,
          [CONTAINER_LABELS.attempt]: String(attempt),
        },
      },
      // Created and started by one runc process.
      { logPath: containerLogPath(this.opts.logRoot, { namespace: record.namespace, name: record.name, uid }, name, attempt), stdin: container.stdin === true, start: true },
    ).catch(releaseRootfs);
    return id;
  }

  onChange(listener: () => void): void {
    this.opts.containers.onExit(() => listener());
  }

  changesWatched(): boolean {
    return this.opts.containers.exitsWatched();
  }

  /** An emptyDir's directory (where pod-config and startContainer make it) as `du -s` counts it. */
  async volumeUsageBytes(uid: string, volume: string): Promise<number | undefined> {
    return diskUsageBytes(join(this.sandboxDir(uid), 'volumes', volume));
  }

  /** A container instance's writable layer (its overlay's upper dir) and its log, as the kubelet counts them. */
  async containerStorageBytes(uid: string, instance: { id: string; name: string; attempt: number }): Promise<number | undefined> {
    const record = await this.readRecord(uid);
    const layer = await diskUsageBytes(this.opts.images.writableLayerDir(instance.id));
    const log = record ? await diskUsageBytes(containerLogPath(this.opts.logRoot, { namespace: record.namespace, name: record.name, uid }, instance.name, instance.attempt)) : undefined;
    return layer === undefined && log === undefined ? undefined : (layer ?? 0) + (log ?? 0);
  }

  /** Brings mounted ConfigMap/Secret/downward API volumes of running pods up to date. */
  async refreshConfigVolumes(): Promise<void> {
    if (!this.opts.podConfig) return;
    // Only sandboxes matter here: no container listing (and no `runc list`) every 2 s.
    const sandboxes = await this.listSandboxes();
    await this.opts.podConfig.refresh(sandboxes.filter((s) => s.ip).map((s) => ({ uid: s.uid, dir: this.sandboxDir(s.uid), ip: s.ip })));
  }

  async killContainer(id: string, gracePeriodSeconds: number): Promise<void> {
    await this.opts.containers.stop(id, gracePeriodSeconds);
  }

  async removeContainer(id: string): Promise<void> {
    await this.removeInstance(id);
  }

  /** `uid`, when the caller knows the pod: its termination file without listing every sandbox. */
  private async removeInstance(id: string, uid?: string): Promise<void> {
    await this.opts.containers.remove(id);
    await this.opts.images.releaseRootfs(id).catch(() => undefined);
    const file = uid !== undefined ? terminationFilePath(this.sandboxDir(uid), id) : await this.terminationFileOf(id);
    if (file) await removeTerminationFile(file).catch(() => undefined);
  }

  /**
   * What an exited container left in its termination message file: the last 4096 bytes, the
   * most the kubelet reads; undefined when it has none (no path, removed, its pod gone).
   */
  async readTerminationMessage(id: string): Promise<Buffer | undefined> {
    const file = await this.terminationFileOf(id);
    return file ? readTerminationFile(file) : undefined;
  }

  /**
   * The instance's file: under the sandbox of the pod whose uid prefixes the id (`<uid>-<name>-<attempt>`).
   * Names may hold dashes, so a uid that is a prefix of another's leaves two candidates: the
   * one holding the file is it.
   */
  private async terminationFileOf(id: string): Promise<string | undefined> {
    const uids = await readdir(join(this.opts.root, 'sandboxes')).catch(() => [] as string[]);
    const files = uids.filter((uid) => id.startsWith(`${uid}-`)).map((uid) => terminationFilePath(this.sandboxDir(uid), id));
    if (files.length <= 1) return files[0];
    for (const file of files) if (await stat(file).then(() => true, () => false)) return file;
    return undefined;
  }

  async removePod(uid: string, gracePeriodSeconds: number): Promise<void> {
    const states = (await this.opts.containers.list()).filter((s) => s.labels[CONTAINER_LABELS.podUid] === uid);
    await Promise.all(states.filter((s) => s.status === 'running' || s.status === 'created').map((s) => this.opts.containers.stop(s.id, gracePeriodSeconds)));
    for (const s of states) await this.removeInstance(s.id, uid);
    await this.releasePrefetched(uid);
    await this.opts.network.teardownPod(uid);
    await this.unmountNamespaces(uid);
    await this.opts.podConfig?.teardown(this.sandboxDir(uid));
    await this.opts.containers.removePodCgroup(uid).catch(() => undefined);
    await this.opts.podCgroups?.removePod(uid).catch(() => undefined);
    const wasBurstable = (await this.readRecord(uid))?.qos === 'Burstable';
    await rm(this.sandboxDir(uid), { recursive: true, force: true });
    if (wasBurstable) await this.burstableShares.get().catch(() => undefined);
    this.records.delete(uid);
  }
}

/**
 * Keeps a pod's IPC and UTS namespaces as bind mounts in `nsDir`, with the pod's hostname (no
 * hostname: the IPC namespace only, the pod is in the host's UTS namespace): one `unshare` process (no shell, `mountpoint` and `touch` around it: each exec is
 * ~5 ms here). Namespaces already bound (a sandbox made again) are kept.
 */
async function persistNamespaces(nsDir: string, hostname: string | undefined): Promise<void> {
  const ipc = join(nsDir, 'ipc');
  const uts = join(nsDir, 'uts');
  // A new sandbox has no file yet: no mount table read.
  if ((await stat(ipc).then(() => true, () => false)) && (await isMountPoint(ipc))) return;
  const files = hostname === undefined ? [ipc] : [ipc, uts];
  await Promise.all(files.map((file) => writeFile(file, '', { flag: 'a' })));
  await run('unshare', hostname === undefined ? [`--ipc=${ipc}`, 'true'] : [`--ipc=${ipc}`, `--uts=${uts}`, 'hostname', hostname]);
}

/**
 * Promise.all that lets every step finish before it fails with the first error: a sandbox
 * retried later must not meet a step of this attempt still running.
 */
export async function allSettledOrFirstError<T extends readonly unknown[]>(steps: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const results = await Promise.allSettled(steps);
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** The termination file's mount; a relative path is the pod's error, not the node's. */
function terminationMount(sandboxDir: string, id: string, container: { terminationMessagePath?: string }) {
  try {
    return terminationFileMount(sandboxDir, id, container);
  } catch (error) {
    throw new ContainerConfigError((error as Error).message);
  }
}

/** The downward-API value of an env fieldRef, for runtimes built without PodConfig (tests). */
function fieldRef(valueFrom: Record<string, unknown> | undefined, pod: Pod, record: SandboxRecord): string {
  const path = (valueFrom?.fieldRef as { fieldPath?: string } | undefined)?.fieldPath;
  if (!path) return '';
  try {
    return podFieldValue(path, pod, record.ip, '');
  } catch {
    return ''; // unsupported paths stay empty here, as before; PodConfig reports them
  }
}
