// Why no node fitted, as data: a count per reason (the failure message), the plugins that
// rejected (which cluster events may help), and per node the plugin and reasons. The
// scheduler publishes the per-node part as JSON (DIAGNOSIS_ANNOTATION) so that `coxctl why`,
// the dashboard and scripts read structured reasons instead of parsing the message.
import { Status, StatusCode } from '../framework/status';

export interface NodeRejection {
  node: string;
  /** The first filter that rejected the node (the one the scheduler counts). */
  plugin: string;
  code: StatusCode;
  reasons: readonly string[];
}

export interface Diagnosis {
  nodeCount: number;
  /** reason → how many nodes gave it. */
  reasons: Map<string, number>;
  rejectedBy: Set<string>;
  rejections: NodeRejection[];
}

export const emptyDiagnosis = (nodeCount: number): Diagnosis => ({ nodeCount, reasons: new Map(), rejectedBy: new Set(), rejections: [] });

export function recordRejection(diagnosis: Diagnosis, node: string, plugin: string, status: Status): void {
  diagnosis.rejectedBy.add(plugin);
  for (const reason of status.reasons) diagnosis.reasons.set(reason, (diagnosis.reasons.get(reason) ?? 0) + 1);
  diagnosis.rejections.push({ node, plugin, code: status.code, reasons: status.reasons });
}

/**
 * Annotation on the scheduler's FailedScheduling Events. Its value is DiagnosisRecord as
 * JSON: `{"nodeCount":3,"nodes":[{"node":"a","plugin":"NodeResourcesFit","reasons":["Insufficient cpu"]}],"omitted":0}`.
 */
export const DIAGNOSIS_ANNOTATION = 'scheduler.coxswain.io/diagnosis';

/** Nodes listed at most; the rest are counted in `omitted` (annotations must stay small). */
export const MAX_RECORDED_NODES = 200;

export interface DiagnosisRecord {
  nodeCount: number;
  nodes: Array<{ node: string; plugin: string; reasons: string[] }>;
  omitted: number;
}

export function diagnosisRecord(diagnosis: Pick<Diagnosis, 'nodeCount' | 'rejections'>, max = MAX_RECORDED_NODES): DiagnosisRecord {
  const sorted = [...diagnosis.rejections].sort((a, b) => (a.node < b.node ? -1 : a.node > b.node ? 1 : 0));
  return {
    nodeCount: diagnosis.nodeCount,
    nodes: sorted.slice(0, max).map((r) => ({ node: r.node, plugin: r.plugin, reasons: [...r.reasons] })),
    omitted: Math.max(0, sorted.length - max),
  };
}

/** The record from an object's annotations; undefined when absent or not ours. */
export function readDiagnosisRecord(annotations: Record<string, string> | undefined): DiagnosisRecord | undefined {
  const text = annotations?.[DIAGNOSIS_ANNOTATION];
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as DiagnosisRecord;
    if (typeof value?.nodeCount !== 'number' || !Array.isArray(value.nodes)) return undefined;
    return { nodeCount: value.nodeCount, nodes: value.nodes.filter((n) => typeof n?.node === 'string' && Array.isArray(n.reasons)), omitted: Number(value.omitted) || 0 };
  } catch {
    return undefined;
  }
}

/** Reason → node count, most frequent first (then by text), as the failure message orders them. */
export function reasonCounts(reasons: ReadonlyMap<string, number>): Array<{ reason: string; count: number }> {
  return [...reasons.entries()].sort(([ra, a], [rb, b]) => b - a || (ra < rb ? -1 : ra > rb ? 1 : 0)).map(([reason, count]) => ({ reason, count }));
}

/** The same counts from a published record. */
export function recordReasonCounts(record: DiagnosisRecord): Array<{ reason: string; count: number }> {
  const counts = new Map<string, number>();
  for (const n of record.nodes) for (const r of n.reasons) counts.set(r, (counts.get(r) ?? 0) + 1);
  return reasonCounts(counts);
}

/** The fields of a core/v1 Event this module reads. */
export interface EventLike {
  reason?: string;
  lastTimestamp?: string;
  firstTimestamp?: string;
  eventTime?: string;
  metadata?: { annotations?: Record<string, string> };
}

/** The record on the newest FailedScheduling event that carries one. */
export function latestDiagnosisRecord(events: readonly EventLike[]): DiagnosisRecord | undefined {
  let best: { at: number; record: DiagnosisRecord } | undefined;
  for (const e of events) {
    if (e.reason !== 'FailedScheduling') continue;
    const record = readDiagnosisRecord(e.metadata?.annotations);
    const at = Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '') || 0;
    if (record && (!best || at > best.at)) best = { at, record };
  }
  return best?.record;
}
