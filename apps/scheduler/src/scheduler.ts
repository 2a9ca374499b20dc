// The scheduler for one leadership term: informer events feed the cache and the queue; the
// loop pops a workload, decides synchronously (filter → score → pick), assumes the
// placement and sends the bind without waiting for it, so binds overlap while decisions
// stay strictly one at a time against an up-to-date cache.
import { claimNamesOf, Namespace, Node, PersistentVolume, PersistentVolumeClaim, Pod, SELECTED_NODE_ANNOTATION, StorageClass, VirtualMachineInstance } from '@coxswain/api';
import { BUILTIN_RESOURCES, Clock, EventRecorder, InformerHandlers, isNotFound, realClock } from '@coxswain/client';
import { performance } from 'node:perf_hooks';
import { setImmediate as yieldToIo } from 'node:timers/promises';
import type { Logger } from 'pino';
import { SchedulerCache } from './cache/scheduler-cache';
import { StorageCache } from './cache/storage-cache';
import { SchedulerConfig } from './config/config';
import { buildFramework, claimsToSelect, ClusterChange, ClusterSnapshot, DEFAULT_SCHEDULER_NAME, volumeFacts, Diagnosis, DIAGNOSIS_ANNOTATION, diagnosisRecord, failureMessage, Framework, NamespaceLabels, sameRecord, Workload, workloadFromPod, workloadFromVmi, workloadKey } from '@coxswain/scheduling';
import { Decision, findNode, numFeasibleNodesToFind, Scratch } from './core/find-node';
import { unschedulableStatusPatch } from './core/unschedulable-status';
import { bindWorkload, eventTarget, patchStatus, readWorkload, SchedulerClient } from './io/api';
import { KeyedWriter } from './io/keyed-writer';
import { SchedulerMetrics } from './metrics';
import { QueuedWorkload, SchedulingQueue } from './queue/scheduling-queue';

/** Anything informer-shaped: subscribing delivers the cached objects as adds, then changes. */
export interface Subscribable<T> {
  addEventHandler(handlers: InformerHandlers<T>): () => void;
}

export interface SchedulerSources {
  nodes: Subscribable<Node>;
  pods: Subscribable<Pod>;
  vmis: Subscribable<VirtualMachineInstance>;
  /** For VolumeBinding; without them, workloads with claims see their claims as missing. */
  claims?: Subscribable<PersistentVolumeClaim>;
  volumes?: Subscribable<PersistentVolume>;
  classes?: Subscribable<StorageClass>;
  /** For namespaceSelector in pod affinity terms; without it such a selector matches no namespace. */
  namespaces?: Subscribable<Namespace>;
}

export interface SchedulerOptions {
  client: SchedulerClient;
  config: SchedulerConfig;
  metrics?: SchedulerMetrics;
  logger?: Pick<Logger, 'info' | 'warn' | 'debug' | 'error'>;
  clock?: Clock;
  random?: () => number;
  /** Called after each successful bind (tests, benchmarks). */
  onBound?: (workload: Workload, nodeName: string) => void;
}

const CLAIMS = BUILTIN_RESOURCES.PersistentVolumeClaim;

/** Work done between yields to the event loop, so informer events and bind replies get in. */
const SLICE_MS = 5;

export class Scheduler {
  readonly cache = new SchedulerCache();
  readonly storage = new StorageCache();
  readonly queue: SchedulingQueue;
  private readonly frameworks: Map<string, Framework>;
  private readonly recorder: EventRecorder;
  private readonly statusWriter: KeyedWriter;
  private readonly clock: Clock;
  private readonly random: () => number;
  private readonly scratch = new Scratch();
  private readonly bindsSettled = new Set<Promise<void>>();
  private readonly namespaces = new Map<string, Readonly<Record<string, string>>>();
  private readonly namespaceLabels: NamespaceLabels = (name) => this.namespaces.get(name);
  private bindSlotWaiter?: () => void;
  private nextStart = 0;

  constructor(private readonly options: SchedulerOptions) {
    this.clock = options.clock ?? realClock;
    this.random = options.random ?? Math.random;
    this.frameworks = new Map(options.config.profiles.map((p) => [p.schedulerName, buildFramework(p)]));
    this.queue = new SchedulingQueue({
      clock: this.clock,
      initialBackoffMs: options.config.backoff.initialMs,
      maxBackoffMs: options.config.backoff.maxMs,
      eventMayHelp: (q, event) => this.frameworks.get(q.workload.schedulerName)?.eventMayHelp(event, q.rejectedBy) ?? false,
    });
    this.recorder = new EventRecorder({ client: options.client, component: DEFAULT_SCHEDULER_NAME, clock: this.clock, logger: options.logger, onDropped: () => options.metrics?.eventDropped() });
    this.statusWriter = new KeyedWriter(4, options.logger);
  }

  get bindsInFlight(): number {
    return this.bindsSettled.size;
  }

  /** Subscribes to the informers (nodes first, so bound workloads land on known nodes); returns the unsubscribe. */
  attach(sources: SchedulerSources): () => void {
    const overhead = this.options.config.vmOverhead;
    const offs = [
      sources.nodes.addEventHandler({
        onAdd: (n) => this.emit(this.cache.setNode(n)),
        onUpdate: (_o, n) => this.emit(this.cache.setNode(n)),
        onDelete: (n) => this.cache.removeNode(n.metadata?.name ?? ''),
      }),
      sources.pods.addEventHandler({
        onAdd: (p) => this.onWorkload(workloadFromPod(p)),
        onUpdate: (_o, p) => this.onWorkload(workloadFromPod(p)),
        onDelete: (p) => this.onWorkloadGone(workloadKey('Pod', p.metadata?.namespace, p.metadata?.name)),
      }),
      sources.vmis.addEventHandler({
        onAdd: (v) => this.onWorkload(workloadFromVmi(v, overhead)),
        onUpdate: (_o, v) => this.onWorkload(workloadFromVmi(v, overhead)),
        onDelete: (v) => this.onWorkloadGone(workloadKey('VirtualMachineInstance', v.metadata?.namespace, v.metadata?.name)),
      }),
    ];
    if (sources.namespaces) {
      const set = (ns: Namespace) => {
        const name = ns.metadata?.name ?? '';
        const labels = ns.metadata?.labels ?? {};
        const before = this.namespaces.get(name);
        this.namespaces.set(name, labels);
        if (!before || !sameRecord(before, labels)) this.queue.onClusterEvent(['NamespaceLabels']);
      };
      offs.push(
        sources.namespaces.addEventHandler({
          onAdd: set,
          onUpdate: (_o, ns) => set(ns),
          onDelete: (ns) => this.namespaces.delete(ns.metadata?.name ?? ''),
        }),
      );
    }
    const storageSources = [
      ['claims', sources.claims],
      ['volumes', sources.volumes],
      ['classes', sources.classes],
    ] as const;
    for (const [kind, source] of storageSources) {
      if (!source) continue;
      const changed = () => this.queue.onClusterEvent(['VolumeChange'], undefined);
      offs.push(
        (source as Subscribable<PersistentVolumeClaim | PersistentVolume | StorageClass>).addEventHandler({
          onAdd: (o) => (this.storage.set(kind, o), changed()),
          onUpdate: (_o, o) => (this.storage.set(kind, o), changed()),
          onDelete: (o) => (this.storage.remove(kind, o), changed()),
        }),
      );
    }
    return () => offs.forEach((off) => off());
  }

  /** Schedules until `signal` aborts; then waits for binds and status writes in flight. */
  async run(signal: AbortSignal): Promise<void> {
    const stop = () => {
      this.queue.close();
      this.bindSlotWaiter?.();
    };
    if (signal.aborted) stop();
    signal.addEventListener('abort', stop, { once: true });
    let sliceStart = performance.now();
    try {
      while (!signal.aborted) {
        if (this.bindsInFlight >= this.options.config.bindConcurrency) await new Promise<void>((resolve) => (this.bindSlotWaiter = resolve));
        const queued = this.queue.tryPop() ?? (await this.queue.pop());
        if (!queued || signal.aborted) break;
        this.scheduleOne(queued);
        if (performance.now() - sliceStart > SLICE_MS) {
          await yieldToIo();
          sliceStart = performance.now();
        }
      }
    } finally {
      signal.removeEventListener('abort', stop);
      this.queue.close();
      await Promise.allSettled([...this.bindsSettled]);
      await Promise.all([this.statusWriter.flush(), this.recorder.flush()]);
    }
  }

  /** One decision: synchronous from pop to assume, so the next decision sees this one. */
  scheduleOne(queued: QueuedWorkload): void {
    const w = queued.workload;
    const framework = this.frameworks.get(w.schedulerName);
    if (!framework || this.cache.placement(w.key) || w.nodeName) return this.queue.done(w.key);
    const started = performance.now();
    // Claims change independently of the workload: resolve them for this attempt.
    w.volumes = claimNamesOf(w.object as { kind?: string; spec?: unknown }).length ? volumeFacts(w.object, this.storage.objects()) : undefined;
    const snapshot = this.snapshot();
    const nodes = snapshot.nodes;
    const start = nodes.length ? this.nextStart % nodes.length : 0;
    let decision: Decision;
    try {
      decision = findNode(framework, w, snapshot, {
        start,
        numToFind: numFeasibleNodesToFind(nodes.length, this.options.config.percentageOfNodesToScore),
        random: this.random,
      }, this.scratch);
    } catch (error) {
      // A plugin bug must not stop a leader from scheduling everything else.
      decision = { kind: 'error', plugin: 'unknown', message: (error as Error)?.message ?? String(error) };
    }
    switch (decision.kind) {
      case 'placed': {
        this.nextStart = (start + decision.evaluated) % nodes.length;
        const added = this.cache.assume(w, decision.node.name);
        // Only a parked workload can wait for another to be placed (pod affinity, spread).
        if (this.queue.parkedCount > 0) this.emit(added);
        const settled = this.bind(queued, framework, decision.node.name, started).catch((err) => this.options.logger?.error({ err, workload: w.key }, 'bind bookkeeping failed'));
        this.bindsSettled.add(settled);
        void settled.finally(() => {
          this.bindsSettled.delete(settled);
          const wake = this.bindSlotWaiter;
          this.bindSlotWaiter = undefined;
          wake?.();
        });
        return;
      }
      case 'unschedulable': {
        this.queue.requeueUnschedulable(queued, decision.diagnosis.rejectedBy);
        this.options.metrics?.attempt('unschedulable', framework.schedulerName, (performance.now() - started) / 1000);
        this.reportUnschedulable(w, decision.diagnosis);
        return;
      }
      case 'error': {
        this.queue.requeueBackoff(queued);
        this.options.metrics?.attempt('error', framework.schedulerName, (performance.now() - started) / 1000);
        this.options.logger?.error({ workload: w.key, plugin: decision.plugin, message: decision.message }, 'filter plugin failed');
        this.recorder.record(eventTarget(w), 'Warning', 'FailedScheduling', `running ${decision.plugin} filter plugin: ${decision.message}`);
        return;
      }
    }
  }

  private onWorkload(w: Workload): void {
    if (w.nodeName || w.terminal) {
      this.queue.delete(w.key);
      this.emit(this.cache.observeBound(w));
      return;
    }
    // Unbound as far as the informer knows. If we assumed it, our bind is in flight and the
    // informer simply has not caught up: leave it alone.
    if (this.cache.isAssumed(w.key)) return;
    if (w.deleting || !this.frameworks.has(w.schedulerName)) return this.queue.delete(w.key);
    this.queue.add(w);
  }

  private onWorkloadGone(key: string): void {
    this.queue.delete(key);
    this.emit(this.cache.removeWorkload(key));
  }

  private snapshot(): ClusterSnapshot {
    return this.cache.snapshot(this.namespaceLabels);
  }

  /**
   * Retries parked workloads that now pass every filter on the node that changed. A workload
   * rejected by a plugin that looks at other nodes' workloads (pod affinity, topology spread)
   * is retried on any change its plugins care about: its verdict may have changed on nodes
   * other than the one that changed (the same zone, the global minimum).
   */
  private emit(changes: ClusterChange[]): void {
    for (const change of changes) {
      const node = change.node === undefined ? undefined : this.cache.getNode(change.node);
      if (change.node !== undefined && !node?.node) {
        this.queue.onClusterEvent(change.events, () => false); // a node that is gone helps nobody
        continue;
      }
      this.queue.onClusterEvent(
        change.events,
        node &&
          ((q) => {
            const framework = this.frameworks.get(q.workload.schedulerName);
            if (!framework) return false;
            return framework.rejectedAcrossNodes(q.rejectedBy) || framework.fitsOn(q.workload, node, this.snapshot());
          }),
      );
    }
  }

  private async bind(queued: QueuedWorkload, framework: Framework, nodeName: string, started: number): Promise<void> {
    const w = queued.workload;
    try {
      await this.selectNode(w, nodeName);
      await bindWorkload(this.options.client, w, nodeName);
      this.queue.done(w.key);
      this.options.metrics?.attempt('scheduled', framework.schedulerName, (performance.now() - started) / 1000);
      if (this.options.config.scheduledEvents) {
        this.recorder.record(eventTarget(w), 'Normal', 'Scheduled', `Successfully assigned ${w.namespace}/${w.name} to ${nodeName}`);
      }
      this.options.onBound?.(w, nodeName);
    } catch (error) {
      await this.bindFailed(queued, framework, nodeName, error, started);
    }
  }

  /** WaitForFirstConsumer: records the chosen node on the workload's unbound claims (Kubernetes' PreBind), so their volume is provisioned there. */
  private async selectNode(w: Workload, nodeName: string): Promise<void> {
    for (const claim of claimsToSelect(w.volumes)) {
      await this.options.client.patch(CLAIMS, claim, { metadata: { annotations: { [SELECTED_NODE_ANNOTATION]: nodeName } } }, { namespace: w.namespace, type: 'merge' });
    }
  }

  /**
   * A failed bind is not always a failure: a 409 may mean it is already bound (by an earlier
   * try of ours whose reply was lost, or by another scheduler) and a timeout may have landed.
   * Ask the API before freeing the assumed capacity, or the node could be over-committed.
   * A 404 is no proof that the workload is gone: an API server whose watch cache lags behind
   * answers 404 for an object created a moment ago (a bench run lost 1 of 1,000 Job pods so).
   * As in kube-scheduler, only the informer decides that: its delete event (onWorkloadGone)
   * takes the workload out of the queue; until then a failed bind is retried after back-off.
   */
  private async bindFailed(queued: QueuedWorkload, framework: Framework, nodeName: string, error: unknown, started: number): Promise<void> {
    const w = queued.workload;
    if (!isNotFound(error)) {
      try {
        const actual = await readWorkload(this.options.client, w, this.options.config.vmOverhead);
        if (actual.uid === w.uid && actual.nodeName) {
          this.queue.done(w.key);
          this.emit(this.cache.observeBound(actual));
          return;
        }
      } catch {
        // Unknown (a 404 included, for the same reason): retried below.
      }
    }
    this.emit(this.cache.forget(w.key));
    this.queue.requeueBackoff(queued);
    // Deleted meanwhile (the informer said so): nothing to report.
    if (!this.queue.whereIs(w.key)) return;
    this.options.metrics?.attempt('error', framework.schedulerName, (performance.now() - started) / 1000);
    const message = (error as Error)?.message ?? String(error);
    this.options.logger?.warn({ workload: w.key, node: nodeName, err: error }, 'bind failed');
    this.recorder.record(eventTarget(w), 'Warning', 'FailedScheduling', `Binding rejected: ${message}`);
  }

  /** The message for people, and the per-node diagnosis as JSON on the event for programs (DIAGNOSIS_ANNOTATION). */
  private reportUnschedulable(w: Workload, diagnosis: Diagnosis): void {
    const message = failureMessage(diagnosis);
    this.options.logger?.debug({ workload: w.key, message }, 'unschedulable');
    this.recorder.record(eventTarget(w), 'Warning', 'FailedScheduling', message, { [DIAGNOSIS_ANNOTATION]: JSON.stringify(diagnosisRecord(diagnosis)) });
    const patch = unschedulableStatusPatch(w, message, new Date(this.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'));
    if (!patch) return;
    this.statusWriter.submit(w.key, async () => {
      try {
        await patchStatus(this.options.client, w, patch);
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    });
  }
}
