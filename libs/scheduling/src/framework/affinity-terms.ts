// Pod affinity and anti-affinity terms, reduced once per workload: label selectors compiled,
// the namespaces a term looks at resolved (its own by default), matchLabelKeys and
// mismatchLabelKeys merged into the selector. The API does not validate these fields, so
// anything malformed reduces to what Kubernetes does with an absent selector: matches nothing.
import { labelSelectorToRequirements, matchesLabels, type LabelRequirement, type LabelSelector } from '@coxswain/api/browser';
import type { NamespaceLabels } from './snapshot';

/** Requirements that must all hold ([] selects everything), or null: selects nothing (absent or invalid). */
export type Selector = readonly LabelRequirement[] | null;

export type Labels = Readonly<Record<string, string>>;

export const NO_LABELS: Labels = Object.freeze({});

type Obj = Record<string, unknown>;
const asObj = (v: unknown): Obj | undefined => (v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function compileSelector(raw: unknown): Selector {
  const selector = asObj(raw);
  if (!selector) return null;
  try {
    return labelSelectorToRequirements(selector as LabelSelector);
  } catch {
    return null;
  }
}

export function selects(selector: Selector, labels: Labels): boolean {
  return selector !== null && matchesLabels(labels as Record<string, string>, selector as LabelRequirement[]);
}

/** `key In [the workload's value]` for each key it has (matchLabelKeys), `NotIn` for mismatchLabelKeys. */
export function withLabelKeys(selector: Selector, labels: Labels, matchKeys: unknown, mismatchKeys?: unknown): Selector {
  if (selector === null) return null;
  const extra: LabelRequirement[] = [];
  for (const [keys, operator] of [[matchKeys, 'In'], [mismatchKeys, 'NotIn']] as const) {
    if (!Array.isArray(keys)) continue;
    for (const key of keys) if (typeof key === 'string' && Object.prototype.hasOwnProperty.call(labels, key)) extra.push({ key, operator, values: [labels[key]] });
  }
  return extra.length ? [...selector, ...extra] : selector;
}

export interface AffinityTerm {
  selector: Selector;
  /** Namespaces listed by the term; the workload's own when neither namespaces nor namespaceSelector is given. */
  namespaces: ReadonlySet<string>;
  /** null when not given; [] (from `{}`) selects every namespace. */
  namespaceSelector: Selector;
  /** The node label whose value is the topology domain (kubernetes.io/hostname, topology.kubernetes.io/zone). */
  topologyKey: string;
}

export interface WeightedAffinityTerm {
  weight: number;
  term: AffinityTerm;
}

/** spec.affinity.podAffinity and podAntiAffinity. */
export interface PodAffinityTerms {
  required: AffinityTerm[];
  preferred: WeightedAffinityTerm[];
  antiRequired: AffinityTerm[];
  antiPreferred: WeightedAffinityTerm[];
}

export function affinityTermOf(raw: unknown, namespace: string, labels: Labels): AffinityTerm {
  const t = asObj(raw) ?? {};
  const listed = asList(t.namespaces).filter((n): n is string => typeof n === 'string');
  const hasNamespaceSelector = t.namespaceSelector !== undefined && t.namespaceSelector !== null;
  return {
    selector: withLabelKeys(compileSelector(t.labelSelector), labels, t.matchLabelKeys, t.mismatchLabelKeys),
    namespaces: new Set(listed.length === 0 && !hasNamespaceSelector ? [namespace] : listed),
    namespaceSelector: compileSelector(t.namespaceSelector),
    topologyKey: typeof t.topologyKey === 'string' ? t.topologyKey : '',
  };
}

function weightedTerms(raw: unknown, namespace: string, labels: Labels): WeightedAffinityTerm[] {
  const out: WeightedAffinityTerm[] = [];
  for (const item of asList(raw)) {
    const w = asObj(item);
    const weight = Number(w?.weight);
    if (!w || !Number.isFinite(weight) || weight === 0) continue;
    out.push({ weight, term: affinityTermOf(w.podAffinityTerm, namespace, labels) });
  }
  return out;
}

/** The workload's pod (anti-)affinity, or undefined when it has none (most workloads). */
export function podAffinityTermsOf(affinity: unknown, namespace: string, labels: Labels): PodAffinityTerms | undefined {
  const a = asObj(affinity);
  const pa = asObj(a?.podAffinity);
  const anti = asObj(a?.podAntiAffinity);
  if (!pa && !anti) return undefined;
  const terms: PodAffinityTerms = {
    required: asList(pa?.requiredDuringSchedulingIgnoredDuringExecution).map((t) => affinityTermOf(t, namespace, labels)),
    preferred: weightedTerms(pa?.preferredDuringSchedulingIgnoredDuringExecution, namespace, labels),
    antiRequired: asList(anti?.requiredDuringSchedulingIgnoredDuringExecution).map((t) => affinityTermOf(t, namespace, labels)),
    antiPreferred: weightedTerms(anti?.preferredDuringSchedulingIgnoredDuringExecution, namespace, labels),
  };
  const empty = !terms.required.length && !terms.preferred.length && !terms.antiRequired.length && !terms.antiPreferred.length;
  return empty ? undefined : terms;
}

/** A workload as a term sees it. */
export interface LabeledWorkload {
  namespace: string;
  labels: Labels;
}

/**
 * Kubernetes' AffinityTerm.Matches: the candidate is in one of the term's namespaces (listed,
 * or selected by namespaceSelector through the namespace's labels) and its labels match.
 */
export function termMatches(term: AffinityTerm, candidate: LabeledWorkload, namespaceLabels?: NamespaceLabels): boolean {
  if (!term.namespaces.has(candidate.namespace)) {
    const nsSelector = term.namespaceSelector;
    if (nsSelector === null) return false;
    if (nsSelector.length > 0) {
      const labels = namespaceLabels?.(candidate.namespace);
      if (!labels || !selects(nsSelector, labels)) return false;
    }
  }
  return selects(term.selector, candidate.labels);
}

/** Whether the candidate matches every term (false for no terms): Kubernetes' podMatchesAllAffinityTerms. */
export function matchesAllTerms(terms: readonly AffinityTerm[], candidate: LabeledWorkload, namespaceLabels?: NamespaceLabels): boolean {
  if (terms.length === 0) return false;
  for (const term of terms) if (!termMatches(term, candidate, namespaceLabels)) return false;
  return true;
}

/** Counts per topology domain: topology key → value → count. */
export class TopologyCounts {
  private readonly byKey = new Map<string, Map<string, number>>();

  get isEmpty(): boolean {
    return this.byKey.size === 0;
  }

  /** Adds `n` to the node's domain for `key`; nodes without the label have no domain and count nowhere. */
  addForNode(nodeLabels: Labels, key: string, n: number): void {
    const value = nodeLabels[key];
    if (value === undefined) return;
    let values = this.byKey.get(key);
    if (!values) this.byKey.set(key, (values = new Map()));
    const sum = (values.get(value) ?? 0) + n;
    if (sum !== 0) values.set(value, sum);
    else values.delete(value);
    if (values.size === 0) this.byKey.delete(key);
  }

  get(key: string, value: string): number {
    return this.byKey.get(key)?.get(value) ?? 0;
  }

  /** The count of the domain this node is in, for `key` (0 without the label). */
  forNode(nodeLabels: Labels, key: string): number {
    const value = nodeLabels[key];
    return value === undefined ? 0 : this.get(key, value);
  }

  /** Sum over every key of the node's domain counts (InterPodAffinity's score). */
  sumForNode(nodeLabels: Labels): number {
    let sum = 0;
    for (const [key, values] of this.byKey) {
      const value = nodeLabels[key];
      if (value !== undefined) sum += values.get(value) ?? 0;
    }
    return sum;
  }

  /** Whether the node is in a domain with a positive count for any key. */
  anyPositiveForNode(nodeLabels: Labels): boolean {
    for (const [key, values] of this.byKey) {
      const value = nodeLabels[key];
      if (value !== undefined && (values.get(value) ?? 0) > 0) return true;
    }
    return false;
  }
}
