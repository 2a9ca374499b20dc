// The scheduler's configuration file (YAML or JSON, `--config`): profiles with their plugin
// weights, sampling, back-off, binding concurrency, VM overhead and leader election.
import { cpuMillis, memoryBytes } from '@coxswain/api';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { buildFramework, DEFAULT_SCHEDULER_NAME, ProfileSpec, VmOverhead } from '@coxswain/scheduling';

export interface SchedulerConfig {
  profiles: ProfileSpec[];
  /** 0 = adaptive (kube-scheduler's default); 1..100 = fixed percentage of nodes to find feasible. */
  percentageOfNodesToScore: number;
  /** Binding requests in flight at once. */
  bindConcurrency: number;
  backoff: { initialMs: number; maxMs: number };
  vmOverhead: VmOverhead;
  /** Whether to post a Normal `Scheduled` Event per bind (FailedScheduling is always posted). */
  scheduledEvents: boolean;
  leaderElection: { enabled: boolean; namespace: string; name: string; leaseDurationMs: number; renewDeadlineMs: number; retryPeriodMs: number };
}

/**
 * Per-VM overhead on top of the guest's memory and CPU: QEMU's own RSS (device models, the
 * TCG translation cache; a 128 MiB TCG guest measured ~215 MB RSS, ~87 MB over its RAM) and
 * the agent's bookkeeping. 96Mi + 10m by default; change it under `vmOverhead`.
 */
export const DEFAULT_VM_OVERHEAD = { cpu: '10m', memory: '96Mi' };

export const DEFAULT_CONFIG: SchedulerConfig = {
  profiles: [{ schedulerName: DEFAULT_SCHEDULER_NAME }],
  percentageOfNodesToScore: 0,
  bindConcurrency: 64,
  backoff: { initialMs: 1000, maxMs: 10_000 },
  vmOverhead: { milliCpu: cpuMillis(DEFAULT_VM_OVERHEAD.cpu), memory: memoryBytes(DEFAULT_VM_OVERHEAD.memory) },
  scheduledEvents: true,
  leaderElection: { enabled: true, namespace: 'kube-system', name: 'coxswain-scheduler', leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000 },
};

type Obj = Record<string, unknown>;

class ConfigError extends Error {}

function object(value: unknown, path: string, allowed: string[]): Obj {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${path}: expected an object`);
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw new ConfigError(`${path}.${key}: unknown field (known: ${allowed.join(', ')})`);
  return value as Obj;
}

function num(value: unknown, path: string, fallback: number, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) throw new ConfigError(`${path}: expected a number in [${min}, ${max}]`);
  return value;
}

function quantity(read: (v: string) => number, value: unknown, path: string, fallback: string): number {
  try {
    return read(String(value ?? fallback));
  } catch {
    throw new ConfigError(`${path}: not a quantity: ${String(value)}`);
  }
}

/** Validates a parsed config document and fills defaults; throws on unknown fields or bad values. */
export function resolveConfig(doc: unknown): SchedulerConfig {
  const root = object(doc, 'config', ['apiVersion', 'kind', 'profiles', 'percentageOfNodesToScore', 'bindConcurrency', 'backoff', 'vmOverhead', 'events', 'leaderElection']);
  const rawProfiles = root.profiles ?? DEFAULT_CONFIG.profiles;
  if (!Array.isArray(rawProfiles) || rawProfiles.length === 0) throw new ConfigError('config.profiles: expected a non-empty list');
  const profiles = rawProfiles.map((raw, i) => {
    const p = object(raw, `config.profiles[${i}]`, ['schedulerName', 'filters', 'scores', 'pluginArgs']);
    const spec: ProfileSpec = {
      schedulerName: typeof p.schedulerName === 'string' && p.schedulerName ? p.schedulerName : DEFAULT_SCHEDULER_NAME,
      filters: p.filters as string[] | undefined,
      scores: p.scores as Record<string, number> | undefined,
      pluginArgs: p.pluginArgs as ProfileSpec['pluginArgs'],
    };
    if (spec.filters !== undefined && (!Array.isArray(spec.filters) || spec.filters.some((f) => typeof f !== 'string'))) throw new ConfigError(`config.profiles[${i}].filters: expected a list of plugin names`);
    if (spec.scores !== undefined) object(spec.scores, `config.profiles[${i}].scores`, Object.keys(spec.scores));
    try {
      buildFramework(spec); // unknown plugin names and bad weights surface now, not at the first workload
    } catch (error) {
      throw new ConfigError(`config.profiles[${i}]: ${(error as Error).message}`);
    }
    return spec;
  });
  const names = profiles.map((p) => p.schedulerName);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup) throw new ConfigError(`config.profiles: schedulerName ${dup} appears twice`);

  const backoff = object(root.backoff, 'config.backoff', ['initialSeconds', 'maxSeconds']);
  const initialMs = num(backoff.initialSeconds, 'config.backoff.initialSeconds', 1, 0.001) * 1000;
  const maxMs = num(backoff.maxSeconds, 'config.backoff.maxSeconds', 10, 0.001) * 1000;
  if (maxMs < initialMs) throw new ConfigError('config.backoff: maxSeconds must be >= initialSeconds');
  const overhead = object(root.vmOverhead, 'config.vmOverhead', ['cpu', 'memory']);
  const events = object(root.events, 'config.events', ['scheduled']);
  if (events.scheduled !== undefined && typeof events.scheduled !== 'boolean') throw new ConfigError('config.events.scheduled: expected true or false');
  const le = object(root.leaderElection, 'config.leaderElection', ['enabled', 'namespace', 'name', 'leaseDurationSeconds', 'renewDeadlineSeconds', 'retryPeriodSeconds']);
  const d = DEFAULT_CONFIG.leaderElection;
  const leaderElection = {
    enabled: le.enabled === undefined ? d.enabled : le.enabled === true,
    namespace: typeof le.namespace === 'string' ? le.namespace : d.namespace,
    name: typeof le.name === 'string' ? le.name : d.name,
    leaseDurationMs: num(le.leaseDurationSeconds, 'config.leaderElection.leaseDurationSeconds', d.leaseDurationMs / 1000, 1) * 1000,
    renewDeadlineMs: num(le.renewDeadlineSeconds, 'config.leaderElection.renewDeadlineSeconds', d.renewDeadlineMs / 1000, 0.5) * 1000,
    retryPeriodMs: num(le.retryPeriodSeconds, 'config.leaderElection.retryPeriodSeconds', d.retryPeriodMs / 1000, 0.1) * 1000,
  };
  if (!(leaderElection.leaseDurationMs > leaderElection.renewDeadlineMs && leaderElection.renewDeadlineMs > leaderElection.retryPeriodMs)) {
    throw new ConfigError('config.leaderElection: needs leaseDurationSeconds > renewDeadlineSeconds > retryPeriodSeconds');
  }
  return {
    profiles,
    percentageOfNodesToScore: num(root.percentageOfNodesToScore, 'config.percentageOfNodesToScore', 0, 0, 100),
    bindConcurrency: Math.floor(num(root.bindConcurrency, 'config.bindConcurrency', DEFAULT_CONFIG.bindConcurrency, 1, 10_000)),
    backoff: { initialMs, maxMs },
    vmOverhead: {
      milliCpu: quantity(cpuMillis, overhead.cpu, 'config.vmOverhead.cpu', DEFAULT_VM_OVERHEAD.cpu),
      memory: quantity(memoryBytes, overhead.memory, 'config.vmOverhead.memory', DEFAULT_VM_OVERHEAD.memory),
    },
    scheduledEvents: events.scheduled === undefined ? DEFAULT_CONFIG.scheduledEvents : (events.scheduled as boolean),
    leaderElection,
  };
}

/** Parses YAML (1.1, like Kubernetes) or JSON text. */
export function parseConfig(text: string): SchedulerConfig {
  let doc: unknown;
  try {
    doc = parse(text, { version: '1.1' });
  } catch (error) {
    throw new ConfigError(`config: not YAML or JSON: ${(error as Error).message}`);
  }
  return resolveConfig(doc ?? {});
}

export function loadConfig(path: string | undefined): SchedulerConfig {
  if (!path) return resolveConfig({});
  return parseConfig(readFileSync(path, 'utf8'));
}
