// spec.topologySpreadConstraints reduced once per workload (Kubernetes' defaults applied,
// matchLabelKeys merged into the selector, whether the workload matches itself).
import { compileSelector, Labels, selects, Selector, withLabelKeys } from './affinity-terms';

export type WhenUnsatisfiable = 'DoNotSchedule' | 'ScheduleAnyway';
export type InclusionPolicy = 'Honor' | 'Ignore';

export interface SpreadConstraint {
  maxSkew: number;
  topologyKey: string;
  whenUnsatisfiable: WhenUnsatisfiable;
  /** Which workloads in the same namespace count; null counts none. */
  selector: Selector;
  /** Fewer eligible domains than this make the global minimum 0 (DoNotSchedule only; default 1). */
  minDomains: number;
  /** Honor (default): only nodes matching the workload's nodeSelector/required node affinity are domains. */
  nodeAffinityPolicy: InclusionPolicy;
  /** Ignore (default); Honor: nodes with NoSchedule/NoExecute taints the workload does not tolerate are left out. */
  nodeTaintsPolicy: InclusionPolicy;
  /** The workload matches its own selector (it counts once placed). */
  selfMatch: boolean;
}

export interface SpreadConstraints {
  /** DoNotSchedule: filter. */
  hard: SpreadConstraint[];
  /** ScheduleAnyway: score. */
  soft: SpreadConstraint[];
  /** Why the constraints cannot be used, when they are malformed (the API does not validate them). */
  invalid?: string;
}

type Obj = Record<string, unknown>;

function constraintOf(raw: unknown, labels: Labels, at: string): SpreadConstraint | string {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) return `${at}: expected an object`;
  const c = raw as Obj;
  const maxSkew = c.maxSkew;
  if (typeof maxSkew !== 'number' || !Number.isInteger(maxSkew) || maxSkew < 1) return `${at}.maxSkew: must be an integer >= 1`;
  if (typeof c.topologyKey !== 'string' || c.topologyKey === '') return `${at}.topologyKey: Required value`;
  if (c.whenUnsatisfiable !== 'DoNotSchedule' && c.whenUnsatisfiable !== 'ScheduleAnyway') return `${at}.whenUnsatisfiable: must be DoNotSchedule or ScheduleAnyway`;
  const minDomains = c.minDomains ?? 1;
  if (typeof minDomains !== 'number' || !Number.isInteger(minDomains) || minDomains < 1) return `${at}.minDomains: must be an integer >= 1`;
  for (const field of ['nodeAffinityPolicy', 'nodeTaintsPolicy']) {
    if (c[field] !== undefined && c[field] !== 'Honor' && c[field] !== 'Ignore') return `${at}.${field}: must be Honor or Ignore`;
  }
  const selector = withLabelKeys(compileSelector(c.labelSelector), labels, c.matchLabelKeys);
  return {
    maxSkew,
    topologyKey: c.topologyKey,
    whenUnsatisfiable: c.whenUnsatisfiable,
    selector,
    minDomains,
    nodeAffinityPolicy: c.nodeAffinityPolicy === 'Ignore' ? 'Ignore' : 'Honor',
    nodeTaintsPolicy: c.nodeTaintsPolicy === 'Honor' ? 'Honor' : 'Ignore',
    selfMatch: selects(selector, labels),
  };
}

/** The workload's spread constraints, or undefined when it has none (most workloads). */
export function spreadConstraintsOf(raw: unknown, labels: Labels): SpreadConstraints | undefined {
  if (!Array.isArray(raw) || raw.length === 0) return undefined;
  const out: SpreadConstraints = { hard: [], soft: [] };
  for (const [i, item] of raw.entries()) {
    const c = constraintOf(item, labels, `spec.topologySpreadConstraints[${i}]`);
    if (typeof c === 'string') return { hard: [], soft: [], invalid: c };
    (c.whenUnsatisfiable === 'DoNotSchedule' ? out.hard : out.soft).push(c);
  }
  return out;
}

/** Whether the node has every constraint's topology key (nodes without one are not eligible). */
export function hasTopologyKeys(nodeLabels: Labels, constraints: readonly SpreadConstraint[]): boolean {
  for (const c of constraints) if (nodeLabels[c.topologyKey] === undefined) return false;
  return true;
}
