// Probe bookkeeping as the kubelet does it: thresholds, initial delay and period, pure so the
// prober loop only performs checks and feeds results back.

export interface ProbeSpec {
  exec?: { command: string[] };
  httpGet?: { path?: string; port: number | string; host?: string; scheme?: 'HTTP' | 'HTTPS'; httpHeaders?: Array<{ name: string; value: string }> };
  tcpSocket?: { port: number | string; host?: string };
  /** grpc.health.v1.Health/Check on the pod IP; `service` is the name the server is asked about. */
  grpc?: { port: number; service?: string };
  initialDelaySeconds?: number;
  periodSeconds?: number;
  timeoutSeconds?: number;
  successThreshold?: number;
  failureThreshold?: number;
}

export type ProbeKind = 'liveness' | 'readiness' | 'startup';

export interface ProbeState {
  /** Result the kubelet acts on; undefined until thresholds decide it. */
  result?: 'success' | 'failure';
  consecutiveSuccesses: number;
  consecutiveFailures: number;
  lastRunAt?: number;
}

export const initialProbeState = (): ProbeState => ({ consecutiveSuccesses: 0, consecutiveFailures: 0 });

export function probeDefaults(spec: ProbeSpec) {
  return {
    initialDelayMs: (spec.initialDelaySeconds ?? 0) * 1000,
    periodMs: (spec.periodSeconds ?? 10) * 1000,
    timeoutMs: (spec.timeoutSeconds ?? 1) * 1000,
    successThreshold: spec.successThreshold ?? 1,
    failureThreshold: spec.failureThreshold ?? 3,
  };
}

/** Whether a probe should run now for a container that started at `startedAt`. */
export function probeDue(spec: ProbeSpec, state: ProbeState, startedAt: number, now: number): boolean {
  const d = probeDefaults(spec);
  if (now < startedAt + d.initialDelayMs) return false;
  return state.lastRunAt === undefined || now >= state.lastRunAt + d.periodMs;
}

/** Folds one check's outcome into the state; the result flips only when a threshold is reached. */
export function recordProbe(spec: ProbeSpec, state: ProbeState, ok: boolean, now: number): ProbeState {
  const d = probeDefaults(spec);
  const consecutiveSuccesses = ok ? state.consecutiveSuccesses + 1 : 0;
  const consecutiveFailures = ok ? 0 : state.consecutiveFailures + 1;
  let result = state.result;
  if (ok && consecutiveSuccesses >= d.successThreshold) result = 'success';
  if (!ok && consecutiveFailures >= d.failureThreshold) result = 'failure';
  return { result, consecutiveSuccesses, consecutiveFailures, lastRunAt: now };
}

/**
 * Which probes may run: liveness and readiness wait until a startup probe (if any) has
 * succeeded, as in Kubernetes.
 */
export function activeProbes(specs: Partial<Record<ProbeKind, ProbeSpec>>, startup: ProbeState | undefined): ProbeKind[] {
  if (specs.startup && startup?.result !== 'success') return ['startup'];
  return (['liveness', 'readiness'] as const).filter((k) => specs[k]);
}
