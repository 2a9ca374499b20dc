// The node agent's control loop: registers the Node, renews its Lease, watches the Pods and
// VMIs bound here, plans and applies what the runtime must do, probes containers and writes
// status back. Every pass reads the runtime afresh, so a restarted agent adopts what runs.
import { KubeObject, Pod, rfc3339, VirtualMachineInstance } from '@coxswain/api/browser';
import { ApiError, BUILTIN_RESOURCES as R, EventRecorder, EventRecorderOptions, Informer, KubeClient, Logger, microTime, realClock, SharedInformerFactory } from '@coxswain/client';
import { buildNode, HostFacts, mergeConditions, nodeConditions, NodeConfig, nodeStatusDue } from '../node/node-object';
import { Prober } from '../probes/prober';
import { runLifecycleHandler } from '../probes/lifecycle';
import { PodRuntime, VmRuntime } from '../runtime-port';
import { applyPodActions, applyVmiActions } from '../sync/applier';
import { BackoffSettings, DEFAULT_BACKOFF, LifecycleHandler, NodeMemory, PodView } from '../sync/model';
import { planSync } from '../sync/plan';
import { computePodStatus } from '../sync/status';
import { DEADLINE_EXCEEDED_MESSAGE, DEADLINE_EXCEEDED_REASON, nextDeadline } from '../sync/active-deadline';
import { EVICTED_REASON, hasStorageLimits, withEviction } from '../sync/eviction';
import { checkLocalStorage } from './local-storage-limits';
import { computeVmiStatus, planVmiSync, VmiAction } from '../sync/vmi-plan';
import { DEFAULT_MAX_PARALLEL_STARTS, PodWork, splitWork, WorkerFinishes } from '../sync/termination';
import { fullPassDue, isSteady, observedFingerprint, relistNeeded } from '../sync/steady';
import { podStatusPatch, podView, statusWriteNeedsPin, vmiStatusPatch, vmiView } from './views';
import { startLatencySeconds, WorkloadKind } from './start-latency';
import { StallWatch } from './stall-watch';
import { collectTerminationMessages, TerminationMessageSource } from './termination-messages';

export interface NodeAgentSettings {
  /** The relist: every tick reads the runtime; a full pass runs only when something changed. */
  syncIntervalMs: number;
  /** A full pass at least this often even when nothing changed (the kubelet's pod resync). */
  resyncIntervalMs: number;
  leaseIntervalMs: number;
  leaseDurationSeconds: number;
  statusIntervalMs: number;
  probeIntervalMs: number;
  /** How often the local storage of pods with limits is measured (the kubelet's eviction manager: 10 s). */
  evictionIntervalMs: number;
  /** Crash-loop back-off (kubelet: 10 s doubling to 5 min). */
  backoff: BackoffSettings;
  /** Pods starting (sandbox, pull, container start) at once; stops are never bounded. */
  maxParallelStarts: number;
}

export const DEFAULT_SETTINGS: NodeAgentSettings = { syncIntervalMs: 1000, resyncIntervalMs: 10_000, leaseIntervalMs: 5000, leaseDurationSeconds: 20, statusIntervalMs: 10_000, probeIntervalMs: 1000, evictionIntervalMs: 10_000, backoff: DEFAULT_BACKOFF, maxParallelStarts: DEFAULT_MAX_PARALLEL_STARTS };

export interface NodeAgentDeps {
  client: KubeClient;
  config: NodeConfig;
  facts: () => Promise<HostFacts>;
  pods: PodRuntime;
  vms?: VmRuntime;
  /** Runs a command in a container for exec probes; resolves to the exit code. */
  exec(containerId: string, command: string[], timeoutMs: number): Promise<number>;
  /** Images already present (for IfNotPresent pulls after a restart). */
  presentImages(): Promise<string[]>;
  logger: Logger;
  settings?: Partial<NodeAgentSettings>;
  now?: () => number;
  onSyncDone?(): void;
  /** A workload turned Running here, `seconds` after it was created (apply → Running). */
  onRunning?(kind: WorkloadKind, seconds: number): void;
  /** Event recorder settings beyond client-go's defaults (tests shorten the correlator's). */
  events?: Pick<EventRecorderOptions, 'correlator' | 'minRepeatIntervalMs' | 'onDropped'>;
  /** Where exited containers' termination messages are read from (absent: none are reported). */
  terminationMessages?: TerminationMessageSource;
  /** The agent process's shared informer factory (its owner stops it); without one, the pod and VMI informers are our own. */
  informers?: SharedInformerFactory;
}

type WorkloadMeta = { uid: string; namespace: string; name: string };

/** A pass or a pod worker running longer than this is reported, with the step it is on. */
const STALL_BOUND_MS = 120_000;
const SYNC_PASS = 'sync-pass';

const isNotFound = (error: unknown) => error instanceof ApiError && error.code === 404;
const isConflict = (error: unknown) => error instanceof ApiError && error.code === 409;

export class NodeAgent {
  readonly memory: NodeMemory = { pods: {}, images: new Set() };
  private readonly settings: NodeAgentSettings;
  private readonly podInformer: Informer<Pod>;
  private readonly vmiInformer: Informer<VirtualMachineInstance>;
  private readonly prober: Prober;
  private readonly recorder: EventRecorder;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly vmStartErrors = new Map<string, string>();
  /** Pod workers in flight, by pod uid (see sync/termination.ts). */
  private readonly workers = new Map<string, { stopping: boolean; done: Promise<void> }>();
  private startsInFlight = 0;
  /** Passes and pod workers that run too long, reported with the step they are on. */
  private readonly stalls = new StallWatch(STALL_BOUND_MS);
  /** The last failure logged per workload (see logFailure). */
  private readonly failuresLogged = new Map<string, string>();
  private readonly finishes = new WorkerFinishes();
  /** Pods' local storage: not measured again before (ms, real clock; see local-storage-limits.ts). */
  private readonly storageChecks = new Map<string, number>();
  /** VM workers in flight, by VMI uid. */
  private readonly vmWorkers = new Map<string, { starting: boolean; done: Promise<void> }>();
  private hostIP = '';
  private syncing?: Promise<void>;
  /** How the last full pass left the node (see sync/steady.ts). */
  private lastPass?: { steady: boolean; fingerprint: string; at: number };
  private lastStatusReportAt?: number;
  private again = false;
  /** The timer that kicks a pass at the next pod's active deadline. */
  private deadlineWake?: { at: number; timer: NodeJS.Timeout };
  /** Both informers have synced: passes may run (see kick). */
  private synced = false;
  /** The runtime reported a change (a container exit) since the last relist began. */
  private runtimeChanged = true;
  private stopped = false;
  private ready = false;
  readonly now: () => number;

  constructor(private readonly deps: NodeAgentDeps) {
    this.settings = { ...DEFAULT_SETTINGS, ...deps.settings };
    this.now = deps.now ?? Date.now;
    // The shared recorder: repeats bump one Event's count, similar ones are combined, a
    // token bucket per object drops spam (client-go's correlator, as the kubelet's).
    this.recorder = new EventRecorder({
      client: deps.client,
      component: 'node-agent',
      instance: deps.config.nodeName,
      host: deps.config.nodeName,
      clock: { ...realClock, now: this.now },
      logger: deps.logger,
      ...deps.events,
    });
    const fieldSelector = `spec.nodeName=${deps.config.nodeName}`;
    // Runtime records name workloads by uid: index them so lookups do not scan the cache.
    const indexers = { uid: (obj: KubeObject) => (obj.metadata?.uid ? [obj.metadata.uid] : []) };
    const informers = deps.informers ?? new SharedInformerFactory({ client: deps.client, logger: deps.logger });
    this.podInformer = informers.for<Pod>(R.Pod, { fieldSelector, indexers });
    this.vmiInformer = informers.for<VirtualMachineInstance>(R.VirtualMachineInstance, { fieldSelector, indexers });
    this.prober = new Prober({
      now: this.now,
      exec: (id, command, timeoutMs) => deps.exec(id, command, timeoutMs),
      onResult: (uid, container, kind, ok, message) => {
        if (!ok) this.event(uid, 'Warning', 'Unhealthy', `${kind[0].toUpperCase()}${kind.slice(1)} probe failed: ${message}`.slice(0, 1024));
      },
    });
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Pods bound here, by uid (what the runtime adapter reads full specs from). */
  podByUid(uid: string): Pod | undefined {
    return this.podInformer.store.byIndex('uid', uid)[0];
  }

  vmiByUid(uid: string): VirtualMachineInstance | undefined {
    return this.vmiInformer.store.byIndex('uid', uid)[0];
  }

  /** Pods and VMIs bound here (image garbage collection keeps their images). */
  boundWorkloads(): Array<Pod | VirtualMachineInstance> {
    return [...this.podInformer.store.list(), ...this.vmiInformer.store.list()];
  }

  async start(): Promise<void> {
    for (const image of await this.deps.presentImages().catch(() => [])) this.memory.images.add(image);
    await this.register();
    await this.renewLease();
    this.deps.pods.onChange(() => {
      this.runtimeChanged = true;
    });
    const kick = () => this.kick();
    this.deps.vms?.onGuestInit?.(kick);
    for (const informer of [this.podInformer, this.vmiInformer] as unknown as Array<Informer<KubeObject>>) {
      informer.addEventHandler({ onAdd: kick, onUpdate: kick, onDelete: kick });
      informer.start();
    }
    await Promise.all([this.podInformer.waitForSync(), this.vmiInformer.waitForSync()]);
    this.synced = true;
    this.every(this.settings.syncIntervalMs, () => this.relist());
    this.every(this.settings.leaseIntervalMs, () => this.renewLease());
    this.every(this.settings.statusIntervalMs, () => this.updateNodeStatus());
    this.every(this.settings.probeIntervalMs, () => this.probe());
    this.every(this.settings.evictionIntervalMs, () => this.checkLocalStorage());
    this.every(STALL_BOUND_MS / 2, () => this.reportStalls());
    this.kick();
    this.ready = true;
    this.deps.logger.info({ node: this.deps.config.nodeName }, 'node agent started');
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.ready = false;
    for (const timer of this.timers) clearInterval(timer);
    clearTimeout(this.deadlineWake?.timer);
    if (!this.deps.informers) await Promise.all([this.podInformer.stop(), this.vmiInformer.stop()]);
    await this.syncing?.catch(() => undefined);
    // Let starts that are under way finish (a half-made sandbox is adopted by the next agent
    // anyway); terminations keep their grace periods and are not waited for, as before.
    await Promise.all([...this.workers.values()].filter((w) => !w.stopping).map((w) => w.done));
    await Promise.all([...this.vmWorkers.values()].filter((w) => w.starting).map((w) => w.done));
  }

  private every(ms: number, fn: () => unknown): void {
    const timer = setInterval(() => {
      if (!this.stopped) Promise.resolve(fn()).catch((error) => this.deps.logger.warn({ err: error }, 'periodic task failed'));
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private reportStalls(): void {
    const overdue = this.stalls.check(this.now());
    // A handful names the stuck step; a node-wide stall is one line, not one per pod.
    for (const o of overdue.slice(0, 5)) this.deps.logger.warn({ key: o.key, step: o.step, seconds: Math.round(o.forMs / 1000) }, `${o.what} is taking long`);
    if (overdue.length > 5) this.deps.logger.warn({ more: overdue.length - 5 }, 'more work is taking long');
  }

  /** Creates the Node or brings an existing one up to date (labels, capacity, conditions). */
  async register(): Promise<void> {
    const facts = await this.deps.facts();
    this.hostIP = facts.internalIP;
    const desired = buildNode(facts, this.deps.config);
    const name = this.deps.config.nodeName;
    try {
      await this.deps.client.create(R.Node, desired as KubeObject);
      this.deps.logger.info({ node: name }, 'node registered');
      return;
    } catch (error) {
      if (!(error instanceof ApiError && error.code === 409)) throw error;
    }
    await this.deps.client.patch(R.Node, name, { metadata: { labels: desired.metadata.labels }, spec: desired.spec });
    const current = await this.deps.client.get<KubeObject & { status?: { conditions?: never[] } }>(R.Node, name);
    const status = { ...desired.status, conditions: mergeConditions(current.status?.conditions, desired.status.conditions, rfc3339(this.now())) };
    await this.deps.client.patch(R.Node, name, { status }, { subresource: 'status' });
  }

  async renewLease(): Promise<void> {
    const name = this.deps.config.nodeName;
    const lease = {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { name, namespace: 'kube-node-lease' },
      spec: { holderIdentity: name, leaseDurationSeconds: this.settings.leaseDurationSeconds, renewTime: microTime(this.now()) },
    };
    await this.deps.client.update(R.Lease, lease as KubeObject);
  }

  private async updateNodeStatus(): Promise<void> {
    const facts = await this.deps.facts();
    const name = this.deps.config.nodeName;
    const current = await this.deps.client.get<KubeObject & { status?: { conditions?: never[] } }>(R.Node, name);
    const at = this.now();
    const next = nodeConditions(facts, this.deps.config);
    if (!nodeStatusDue(current.status?.conditions, next, this.lastStatusReportAt, at)) return;
    const conditions = mergeConditions(current.status?.conditions, next, rfc3339(at));
    await this.deps.client.patch(R.Node, name, { status: { conditions } }, { subresource: 'status' });
    this.lastStatusReportAt = at;
  }

  /** The periodic tick: a full pass only when the relist differs from a steady last pass, or the resync is due. */
  private async relist(): Promise<void> {
    if (this.syncing || !this.lastPass?.steady) return this.kick();
    if (!relistNeeded(this.runtimeChanged, this.deps.pods.changesWatched(), this.now() - this.lastPass.at, this.settings.resyncIntervalMs)) return;
    this.runtimeChanged = false;
    const observed = await this.deps.pods.listPods();
    if (fullPassDue(this.lastPass, observedFingerprint(observed), this.now(), this.settings.resyncIntervalMs)) this.kick();
  }

  /** Asks for a sync pass; passes never overlap and a request during one runs another after it. */
  kick(): void {
    // No pass before both informers have listed everything: the informer adds the first list
    // one object at a time, and a pass over a partly filled store takes the pods not yet listed
    // for pods no longer bound here and removes them (a restarted agent with 110 running pods
    // removed and recreated most of them). start() kicks the first pass once they have synced.
    if (this.stopped || !this.synced) return;
    if (this.syncing) {
      this.again = true;
      return;
    }
    this.syncing = (async () => {
      do {
        this.again = false;
        try {
          await this.syncOnce();
        } catch (error) {
          this.deps.logger.warn({ err: error }, 'sync pass failed');
        }
      } while (this.again && !this.stopped);
    })().finally(() => {
      this.syncing = undefined;
      this.deps.onSyncDone?.();
    });
  }

  private hooks() {
    return {
      now: this.now,
      onStep: (uid: string, step: string) => this.stalls.step(uid, step),
      event: (uid: string, type: 'Normal' | 'Warning', reason: string, message: string) => {
        if (reason === 'FailedSync' || reason === 'SyncFailed') this.logFailure(uid, message);
        this.event(uid, type, reason, message);
      },
      finalizePod: ({ pod }: { pod: { metadata: WorkloadMeta } }) => this.finalize(R.Pod, pod.metadata),
      finalizeVmi: ({ vmi }: { vmi: { metadata: WorkloadMeta } }) => this.finalize(R.VirtualMachineInstance, vmi.metadata),
      preStop: (action: { uid: string; id: string; container: string; preStop?: LifecycleHandler }, timeoutMs: number) => this.runHook(action.uid, action.id, action.container, action.preStop!, timeoutMs),
      postStart: async (action: { pod: { metadata: { uid: string; namespace: string; name: string } }; container: string }, id: string, handler: LifecycleHandler, timeoutMs: number) => {
        const failure = await this.runHook(action.pod.metadata.uid, id, action.container, handler, timeoutMs);
        // The Event leaves the output out (it may hold secrets); the log has it, as the kubelet's.
        if (failure) this.deps.logger.warn({ pod: `${action.pod.metadata.namespace}/${action.pod.metadata.name}`, container: action.container, failure }, 'PostStartHook failed');
        return failure;
      },
    };
  }

  /** A lifecycle hook in the container (exec), against the pod (httpGet), or a sleep; bounded by `timeoutMs`. */
  private async runHook(uid: string, id: string, containerName: string, handler: LifecycleHandler, timeoutMs: number): Promise<string | undefined> {
    const pod = this.podInformer.store.byIndex('uid', uid)[0];
    const container = pod?.spec.containers.find((c) => c.name === containerName);
    // Right after the first start (postStart) the API status may not have the pod's IP yet: the sandbox has it.
    const podIP = pod?.status?.podIP || (handler.httpGet ? (await this.deps.pods.listPods()).find((p) => p.uid === uid)?.sandbox?.ip : undefined) || '';
    return runLifecycleHandler(handler, {
      podIP,
      ports: (container?.ports ?? []).map((p) => ({ name: p.name, containerPort: p.containerPort })),
      exec: (command, ms) => this.deps.exec(id, command, ms),
    }, timeoutMs);
  }

  /** The zero-grace delete that removes a workload once everything of it has stopped here. */
  private async finalize(resource: typeof R.Pod, meta: WorkloadMeta): Promise<void> {
    await this.deps.client.delete(resource, meta.name, { namespace: meta.namespace, gracePeriodSeconds: 0, preconditions: { uid: meta.uid } }).catch((error) => {
      // Gone already, or replaced by a newer object of the same name: nothing to finalize.
      if (!isNotFound(error) && !(error instanceof ApiError && error.code === 409)) throw error;
    });
  }

  private async syncOnce(): Promise<void> {
    const now = this.now();
    const nowIso = rfc3339(now);
    const pods = this.podInformer.store.list();
    const views = pods.map(podView);
    const mark = this.finishes.mark();
    this.runtimeChanged = false;
    this.stalls.begin(SYNC_PASS, 'sync pass', 'listing containers', now);
    try {
      await this.syncPass(now, nowIso, pods, views, mark);
    } finally {
      this.stalls.end(SYNC_PASS);
    }
  }

  private async syncPass(now: number, nowIso: string, pods: Pod[], views: PodView[], mark: number): Promise<void> {
    const observed = await this.deps.pods.listPods();
    // Pods whose worker finished during the relist: what we saw of them may predate its work.
    const stale = this.finishes.since(mark);
    if (this.deps.terminationMessages) await collectTerminationMessages(pods, observed, this.memory, this.deps.terminationMessages);
    const plan = planSync(views, observed, this.memory, now, this.settings.backoff);
    const { launch } = splitWork(plan, new Set([...this.workers.keys(), ...stale]), this.settings.maxParallelStarts - this.startsInFlight);
    for (const work of launch) this.runWorker(work);
    const byUid = new Map(observed.map((o) => [o.uid, o]));
    let statusWrites = 0;
    let written = 0;
    this.stalls.step(SYNC_PASS, 'writing pod statuses');
    await Promise.all(
      pods.map(async (pod) => {
        const uid = pod.metadata.uid!;
        if (stale.has(uid)) return;
        if (pod.status?.phase === 'Succeeded' || (pod.status?.phase === 'Failed' && !byUid.has(uid))) return;
        const status = computePodStatus(withEviction(podView(pod), this.memory), byUid.get(uid), this.memory.pods[uid] ?? {}, this.hostIP, now, this.settings.backoff);
        const patch = podStatusPatch(pod, status, nowIso);
        if (!patch) return;
        statusWrites++;
        // Pinned when it carries others' conditions: a conflict means one changed, and its
        // informer event brings a pass that writes again from the new copy.
        const pin = statusWriteNeedsPin(pod) ? { metadata: { resourceVersion: pod.metadata.resourceVersion } } : {};
        await this.deps.client.patch(R.Pod, pod.metadata.name!, { ...pin, status: patch }, { namespace: pod.metadata.namespace, subresource: 'status' }).then(
          () => {
            this.observeStart('container', pod, (patch as { phase?: string }).phase, now);
            if ((patch as { reason?: string }).reason === DEADLINE_EXCEEDED_REASON && pod.status?.reason !== DEADLINE_EXCEEDED_REASON) this.event(uid, 'Normal', DEADLINE_EXCEEDED_REASON, DEADLINE_EXCEEDED_MESSAGE);
          },
          (error) => {
            if (!isNotFound(error) && !isConflict(error)) throw error;
          },
        ).finally(() => this.stalls.step(SYNC_PASS, `writing pod statuses (${++written} of ${statusWrites} done)`));
      }),
    );
    this.stalls.step(SYNC_PASS, 'syncing VMIs');
    if (this.deps.vms) await this.syncVms(nowIso);
    this.wakeAtDeadline(views, now);
    const pass = { launched: launch.length, inFlight: this.workers.size + stale.size, statusWrites, vmis: this.vmiInformer.store.list().length };
    this.lastPass = { steady: isSteady(views, observed, pass), fingerprint: observedFingerprint(observed), at: now };
  }

  /** A pass when the next activeDeadlineSeconds falls: a steady node may otherwise not pass until its resync. */
  private wakeAtDeadline(views: PodView[], now: number): void {
    const at = nextDeadline(views, now);
    if (at === this.deadlineWake?.at) return;
    clearTimeout(this.deadlineWake?.timer);
    this.deadlineWake = undefined;
    if (at === undefined || this.stopped) return;
    const timer = setTimeout(() => {
      this.deadlineWake = undefined;
      this.kick();
    }, at - now + 1);
    timer.unref();
    this.deadlineWake = { at, timer };
  }

  /** Runs one pod's actions in the background; when done, the next pass writes its status. */
  private runWorker(work: PodWork): void {
    if (!work.stopping) this.startsInFlight++;
    const meta = 'pod' in work.actions[0] ? work.actions[0].pod.metadata : undefined;
    this.stalls.begin(work.uid, `pod worker${meta ? ` ${meta.namespace}/${meta.name}` : ''}`, work.actions[0]?.type ?? 'none', this.now());
    const done = applyPodActions(work.actions, this.deps.pods, this.memory, this.hooks())
      .catch((error) => this.deps.logger.warn({ err: error, uid: work.uid }, 'pod worker failed'))
      .finally(() => {
        if (!work.stopping) this.startsInFlight--;
        this.stalls.end(work.uid);
        this.workers.delete(work.uid);
        this.finishes.record(work.uid);
        this.kick();
      });
    this.workers.set(work.uid, { stopping: work.stopping, done });
  }

  private async syncVms(nowIso: string): Promise<void> {
    const vms = this.deps.vms!;
    const vmis = this.vmiInformer.store.list();
    const mark = this.finishes.mark();
    const observed = await vms.listVms();
    // VMIs whose worker finished during the listing: what we saw of them may predate its work.
    const stale = this.finishes.since(mark);
    const busy = new Set([...this.vmWorkers.keys(), ...stale]);
    const byTarget = new Map<string, VmiAction[]>();
    for (const action of planVmiSync(vmis.map(vmiView), observed)) {
      const uid = 'vmi' in action ? action.vmi.metadata.uid : action.uid;
      if (busy.has(uid)) continue;
      byTarget.set(uid, [...(byTarget.get(uid) ?? []), action]);
    }
    for (const [uid, actions] of byTarget) this.runVmWorker(uid, actions);
    const byUid = new Map(observed.map((o) => [o.uid, o]));
    // A booting guest turns Running when its init speaks: the runtime reports it (onGuestInit),
    // and the tick (every second while VMIs exist) is the fallback.
    await Promise.all(
      vmis.map(async (vmi) => {
        const uid = vmi.metadata.uid!;
        // A worker reports when done (its end kicks the next pass); until then what was listed
        // may be stale. A start tried again after a failure reports that failure meanwhile.
        if (busy.has(uid) || (byTarget.has(uid) && !this.vmStartErrors.has(uid))) return;
        if (vmi.metadata.deletionTimestamp && !byUid.has(uid)) return;
        const status = computeVmiStatus(vmiView(vmi), byUid.get(uid), this.vmStartErrors.get(uid));
        const patch = vmiStatusPatch(vmi, status, this.deps.config.nodeName, nowIso);
        if (!patch) return;
        await this.deps.client
          .patch(R.VirtualMachineInstance, vmi.metadata.name!, { status: patch }, { namespace: vmi.metadata.namespace, subresource: 'status' })
          .then(
            () => this.observeStart('vm', vmi, (patch as { phase?: string }).phase, this.now()),
            (error) => {
              if (!isNotFound(error)) throw error;
            },
          );
      }),
    );
  }

  /**
   * Applies one VMI's actions, in order, in the background: a VM stopping within its grace
   * period (seconds) must not hold up the pass that starts another VM or runs pods.
   */
  private runVmWorker(uid: string, actions: VmiAction[]): void {
    const done = (async () => {
      for (const action of actions) await applyVmiActions([action], this.deps.vms!, this.hooks(), this.vmStartErrors);
    })()
      .catch((error) => this.deps.logger.warn({ err: error, uid }, 'vm worker failed'))
      .finally(() => {
        this.vmWorkers.delete(uid);
        this.finishes.record(uid);
        // A failed start is tried again on the next tick, not at once in a loop.
        if (!this.vmStartErrors.has(uid)) this.kick();
      });
    this.vmWorkers.set(uid, { starting: actions.some((a) => a.type === 'startVm'), done });
  }

  /** Evicts pods over a local storage limit: emptyDir sizeLimit, ephemeral-storage (see local-storage-limits.ts). */
  private async checkLocalStorage(): Promise<void> {
    const pods = this.podInformer.store.list();
    if (!pods.some(hasStorageLimits)) return;
    const evicted = await checkLocalStorage(pods, await this.deps.pods.listPods(), this.deps.pods, { evictions: (this.memory.evictions ??= new Map()), notBefore: this.storageChecks }, () => Date.now());
    for (const uid of evicted) this.event(uid, 'Warning', EVICTED_REASON, this.memory.evictions.get(uid)!);
    if (evicted.length) this.kick();
  }

  private async probe(): Promise<void> {
    const pods = this.podInformer.store.list().filter((p) => !p.metadata.deletionTimestamp);
    if (!pods.some((p) => p.spec.containers.some((c) => c.livenessProbe || c.readinessProbe || c.startupProbe))) return;
    const observed = new Map((await this.deps.pods.listPods()).map((o) => [o.uid, o]));
    const input = pods
      .filter((p) => observed.has(p.metadata.uid!))
      .map((p) => ({ pod: { uid: p.metadata.uid!, containers: p.spec.containers as never }, observed: observed.get(p.metadata.uid!)! }));
    if (await this.prober.tick(input, this.memory)) this.kick();
  }

  private observeStart(kind: WorkloadKind, obj: { metadata: { creationTimestamp?: string }; status?: { phase?: string } }, nextPhase: string | undefined, now: number): void {
    const seconds = startLatencySeconds({ creationTimestamp: obj.metadata.creationTimestamp, previousPhase: obj.status?.phase, nextPhase }, now);
    if (seconds !== undefined) this.deps.onRunning?.(kind, seconds);
  }

  /**
   * A worker's failed action in the log too, once per workload and message: an Event alone
   * left a node whose every sandbox creation failed silent in its own log.
   */
  private logFailure(uid: string, message: string): void {
    if (this.failuresLogged.get(uid) === message) return;
    if (this.failuresLogged.size >= 1000) this.failuresLogged.clear(); // bounded; a repeat is logged again, no more
    this.failuresLogged.set(uid, message);
    const target = this.podByUid(uid) ?? this.vmiByUid(uid);
    this.deps.logger.warn({ uid, workload: target ? `${target.metadata.namespace}/${target.metadata.name}` : undefined }, message);
  }

  /** Records an Event for a workload; never fails the caller. */
  event(uid: string, type: 'Normal' | 'Warning', reason: string, message: string): void {
    const pod = this.podByUid(uid);
    const target = pod ?? this.vmiByUid(uid);
    if (!target) return;
    const kind = pod ? 'Pod' : 'VirtualMachineInstance';
    this.recorder.record({ apiVersion: kind === 'Pod' ? 'v1' : 'kubevirt.io/v1', kind, name: target.metadata.name!, namespace: target.metadata.namespace, uid }, type, reason, message);
  }

  /** Resolves once recorded events are written (tests, shutdown). */
  flushEvents(): Promise<void> {
    return this.recorder.flush();
  }
}
