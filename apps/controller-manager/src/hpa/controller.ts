// HorizontalPodAutoscaler controller: every HPA is evaluated each sync period (and on
// changes): scale subresource + pod/VMI cache + metrics source → planHpa → write.
import { HorizontalPodAutoscaler, matchesLabels, parseLabelSelector, Pod, VirtualMachineInstance } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, builtinResourceForKind, Informer, objectKey } from '@coxswain/client';
import { Controller, ControllerDeps } from '../framework/controller';
import { ignoreNotFound } from '../framework/objects';
import { MetricsSource, PodUsage } from './metrics-source';
import { behaviorOf, emptyHistory, HpaHistory, recordScaleEvent } from './normalize';
import { planHpa, rescaleFailed, ScaleInfo } from './plan';
import { MetricPod } from './replica-calculator';
import { podMetricPod, vmiMetricPod } from './targets';

export const HPA_CONTROLLER = 'horizontal-pod-autoscaler';

/** Kinds with a scale subresource the autoscaler can drive. */
const SCALABLE = new Set(['Deployment', 'ReplicaSet', 'VirtualMachineInstanceReplicaSet']);

export interface HpaSettings {
  syncPeriodMs: number;
  tolerance: number;
  downscaleStabilizationMs: number;
  metrics: MetricsSource;
}

interface ScaleObject {
  spec?: { replicas?: number };
  status?: { replicas?: number; selector?: string };
}

export class HorizontalPodAutoscalerController extends Controller {
  private readonly hpas: Informer<HorizontalPodAutoscaler>;
  private readonly pods: Informer<Pod>;
  private readonly vmis: Informer<VirtualMachineInstance>;
  private readonly histories = new Map<string, HpaHistory>();

  constructor(
    deps: ControllerDeps,
    private readonly settings: HpaSettings,
  ) {
    super(HPA_CONTROLLER, deps, 2);
    this.hpas = deps.informers.for<HorizontalPodAutoscaler>(R.HorizontalPodAutoscaler);
    this.pods = deps.informers.for<Pod>(R.Pod);
    this.vmis = deps.informers.for<VirtualMachineInstance>(R.VirtualMachineInstance);
  }

  register(): void {
    this.hpas.addEventHandler({
      onAdd: (h) => this.enqueue(h),
      onUpdate: (old, h) => {
        // Our own status writes come back as updates: only spec changes need a pass now.
        if (old.metadata.generation !== h.metadata.generation) this.enqueue(h);
      },
      onDelete: (h) => this.histories.delete(objectKey(h)),
    });
  }

  protected async reconcile(key: string): Promise<void> {
    const hpa = this.hpas.store.get(key);
    if (!hpa) {
      this.histories.delete(key);
      return;
    }
    try {
      await this.sync(key, hpa);
    } finally {
      this.enqueueAfter(key, this.settings.syncPeriodMs);
    }
  }

  private async sync(key: string, hpa: HorizontalPodAutoscaler): Promise<void> {
    const { client, clock } = this.deps;
    const namespace = hpa.metadata.namespace!;
    const ref = hpa.spec.scaleTargetRef;
    const resource = builtinResourceForKind(ref.kind, ref.apiVersion);
    const now = clock.now();
    let scale: ScaleInfo | { error: string };
    let pods: MetricPod[] = [];
    try {
      if (!resource || !SCALABLE.has(ref.kind)) throw new Error(`the HPA cannot scale ${ref.apiVersion ?? ''} ${ref.kind} (supported: ${[...SCALABLE].join(', ')})`);
      const s = await client.getSubresource<ScaleObject>(resource, ref.name, 'scale', { namespace });
      if (!s.status?.selector) throw new Error(`the scale of ${ref.kind} ${ref.name} has no selector`);
      scale = { specReplicas: s.spec?.replicas ?? 0, statusReplicas: s.status?.replicas ?? 0, selector: s.status.selector };
      pods = this.targetPods(ref.kind, namespace, s.status.selector);
    } catch (error) {
      scale = { error: (error as Error).message };
    }
    let usage: PodUsage[] | { error: string };
    try {
      usage = 'error' in scale ? [] : await this.settings.metrics.podMetrics(namespace);
    } catch (error) {
      usage = { error: (error as Error).message };
    }
    const history = this.histories.get(key) ?? emptyHistory();
    this.histories.set(key, history);
    let plan = planHpa({ hpa, scale, pods, usage, history, now, tolerance: this.settings.tolerance, downscaleStabilizationMs: this.settings.downscaleStabilizationMs });
    if (plan.rescale && resource) {
      try {
        await client.updateSubresource(resource, ref.name, 'scale', { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: ref.name, namespace }, spec: { replicas: plan.rescale.to } }, { namespace });
        recordScaleEvent(history, behaviorOf(hpa, this.settings.downscaleStabilizationMs), plan.rescale.from, plan.rescale.to, now);
        this.logger.info({ hpa: key, from: plan.rescale.from, to: plan.rescale.to, reason: plan.rescale.reason }, 'rescaled');
      } catch (error) {
        plan = rescaleFailed(hpa, plan, (error as Error).message, now);
      }
    }
    for (const e of plan.events) this.recorder.event(hpa, e.type, e.reason, e.message);
    if (plan.statusChanged) await ignoreNotFound(client.updateStatus(R.HorizontalPodAutoscaler, { ...hpa, status: plan.status }));
  }

  /** The target's pods, or its VMIs for a VMI replica set, by the scale's selector. */
  private targetPods(kind: string, namespace: string, selector: string): MetricPod[] {
    const requirements = parseLabelSelector(selector);
    if (kind === 'VirtualMachineInstanceReplicaSet') {
      return this.vmis.store.byIndex('namespace', namespace).filter((v) => matchesLabels(v.metadata.labels, requirements)).map(vmiMetricPod);
    }
    return this.pods.store.byIndex('namespace', namespace).filter((p) => matchesLabels(p.metadata.labels, requirements)).map(podMetricPod);
  }
}
