import { NodeMemory, ObservedPod } from '../sync/model';
import { ProbeTarget, runCheck } from './checks';
import { activeProbes, initialProbeState, ProbeKind, probeDefaults, probeDue, ProbeSpec, ProbeState, recordProbe } from './probe-state';

export interface ProbedContainerSpec {
  name: string;
  ports?: Array<{ name?: string; containerPort: number }>;
  livenessProbe?: ProbeSpec;
  readinessProbe?: ProbeSpec;
  startupProbe?: ProbeSpec;
}

export interface ProbedPod {
  uid: string;
  containers: ProbedContainerSpec[];
}

export interface ProberDeps {
  now(): number;
  /** Runs a command in a container; resolves to its exit code. */
  exec(containerId: string, command: string[], timeoutMs: number): Promise<number>;
  check?: typeof runCheck;
  onResult?(uid: string, container: string, kind: ProbeKind, ok: boolean, message: string): void;
}

/**
 * Runs due probes of running containers and folds results into the node memory the sync plan
 * reads: a failed liveness (or startup) probe marks the container for restart, readiness sets
 * `ready`. State is keyed by container instance, so a restarted container starts afresh.
 */
export class Prober {
  private readonly states = new Map<string, ProbeState>();

  constructor(private readonly deps: ProberDeps) {}

  /** Returns true when something the pod status shows has changed. */
  async tick(pods: Array<{ pod: ProbedPod; observed: ObservedPod }>, memory: NodeMemory): Promise<boolean> {
    const live = new Set<string>();
    let changed = false;
    const checks: Array<Promise<void>> = [];
    for (const { pod, observed } of pods) {
      for (const spec of pod.containers) {
        const instance = observed.containers.filter((c) => c.name === spec.name).sort((a, b) => b.attempt - a.attempt)[0];
        if (!instance || instance.state !== 'running' || !observed.sandbox?.ip) continue;
        const specs: Partial<Record<ProbeKind, ProbeSpec>> = { liveness: spec.livenessProbe, readiness: spec.readinessProbe, startup: spec.startupProbe };
        const key = (kind: ProbeKind) => `${instance.id}/${kind}`;
        for (const kind of ['liveness', 'readiness', 'startup'] as const) if (specs[kind]) live.add(key(kind));
        const target: ProbeTarget = {
          podIP: observed.sandbox.ip,
          ports: spec.ports ?? [],
          exec: (command, timeoutMs) => this.deps.exec(instance.id, command, timeoutMs),
        };
        for (const kind of activeProbes(specs, this.states.get(key('startup')))) {
          const probe = specs[kind]!;
          const state = this.states.get(key(kind)) ?? initialProbeState();
          const now = this.deps.now();
          if (!probeDue(probe, state, instance.startedAt ?? now, now)) continue;
          // Mark the run before awaiting so a slow check is not started twice.
          this.states.set(key(kind), { ...state, lastRunAt: now });
          checks.push((async () => {
            const result = await (this.deps.check ?? runCheck)(probe, target, probeDefaults(probe).timeoutMs);
            const next = recordProbe(probe, state, result.ok, now);
            this.states.set(key(kind), next);
            this.deps.onResult?.(pod.uid, spec.name, kind, result.ok, result.message);
            const mem = ((memory.pods[pod.uid] ??= {})[spec.name] ??= {});
            if (kind === 'readiness') {
              const ready = next.result === 'success';
              if (mem.ready !== ready) changed = true;
              mem.ready = ready;
            } else if (next.result === 'failure' && !mem.livenessFailed) {
              mem.livenessFailed = true;
              mem.failedProbe = kind;
              changed = true;
            }
          })());
        }
      }
    }
    await Promise.all(checks);
    for (const key of this.states.keys()) if (!live.has(key)) this.states.delete(key);
    return changed;
  }
}
