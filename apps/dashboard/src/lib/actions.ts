// The API requests behind the dashboard's buttons, as plain values: pure, so each action is
// tested for exactly what it sends. The browser runs them through the server-side proxy.
import { collectionPath, KindInfo, kindByName, kindByPlural, objectPath } from './kinds';
import { jobFromCronJob, type KubeObject } from '@coxswain/api/browser';
import { controllerOf, isOwnedBy, nameOf, namespaceOf, Obj } from './objects';

export interface ApiRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
  contentType?: string;
  /** What the button says happened, for the toast. */
  summary: string;
}

const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const kind = (plural: string): KindInfo => kindByPlural(plural)!;

export function scale(k: KindInfo, namespace: string, name: string, replicas: number): ApiRequest {
  if (!Number.isSafeInteger(replicas) || replicas < 0) throw new Error('replicas must be a whole number ≥ 0');
  return { method: 'PATCH', path: objectPath(k, namespace, name, 'scale'), body: { spec: { replicas } }, contentType: MERGE, summary: `${k.kind.toLowerCase()}/${name} scaled to ${replicas}` };
}

/** Kinds `kubectl rollout restart` takes: a new template annotation rolls every Pod. */
export const RESTARTABLE = ['deployments', 'daemonsets', 'statefulsets'] as const;

/** `kubectl rollout restart` for a Deployment, DaemonSet or StatefulSet. */
export function restartRollout(namespace: string, name: string, now: Date, plural: (typeof RESTARTABLE)[number] = 'deployments'): ApiRequest {
  const k = kind(plural);
  return {
    method: 'PATCH',
    path: objectPath(k, namespace, name),
    body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': now.toISOString().replace(/\.\d{3}Z$/, 'Z') } } } } },
    contentType: MERGE,
    summary: `${qualified(k)}/${name} restarted`,
  };
}

/** `coxctl cronjob suspend|resume` (kubectl patch cronjob -p '{"spec":{"suspend":true}}'). */
export function suspendCronJob(namespace: string, name: string, suspend: boolean): ApiRequest {
  return { method: 'PATCH', path: objectPath(kind('cronjobs'), namespace, name), body: { spec: { suspend } }, contentType: MERGE, summary: `cronjob.batch/${name} ${suspend ? 'suspended' : 'resumed'}` };
}

/**
 * `kubectl create job NAME --from=cronjob/X`, named `<cronjob>-manual-<suffix>` (the
 * CronJob's name cut so the whole fits the 63 characters a Job name may have).
 */
export function triggerCronJob(cronJob: Obj, suffix: string): ApiRequest {
  const name = `${nameOf(cronJob).slice(0, 63 - '-manual-'.length - suffix.length)}-manual-${suffix}`;
  const ns = namespaceOf(cronJob)!;
  return { method: 'POST', path: collectionPath(kind('jobs'), ns), body: jobFromCronJob(name, cronJob as KubeObject, ns), contentType: 'application/json', summary: `job.batch/${name} created` };
}

/** A short random suffix for generated names (lowercase letters and digits). */
export function nameSuffix(random: () => number = Math.random): string {
  return Array.from({ length: 5 }, () => 'bcdfghjklmnpqrstvwxz2456789'[Math.floor(random() * 27)]).join('');
}

export const revisionOf = (rs: Obj) => Number(rs?.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? 0) || 0;

/** The Deployment's ReplicaSets with their revisions, newest first. */
export function revisions(deployment: Obj, replicaSets: Obj[]): Array<{ revision: number; rs: Obj }> {
  return replicaSets
    .filter((rs) => isOwnedBy(rs, deployment.metadata?.uid))
    .map((rs) => ({ revision: revisionOf(rs), rs }))
    .filter((r) => r.revision > 0)
    .sort((a, b) => b.revision - a.revision);
}

/** `kubectl rollout undo [--to-revision]`: the Deployment takes an older ReplicaSet's template. */
export function rollback(deployment: Obj, replicaSets: Obj[], toRevision?: number): ApiRequest {
  const history = revisions(deployment, replicaSets);
  const current = Number(deployment.metadata?.annotations?.['deployment.kubernetes.io/revision'] ?? history[0]?.revision ?? 0);
  const target = toRevision !== undefined ? history.find((h) => h.revision === toRevision) : history.find((h) => h.revision !== current);
  if (!target) throw new Error(toRevision !== undefined ? `revision ${toRevision} not found` : 'no previous revision to roll back to');
  const template = structuredClone(target.rs.spec?.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
  return {
    method: 'PATCH',
    path: objectPath(kind('deployments'), namespaceOf(deployment), nameOf(deployment)),
    body: [{ op: 'replace', path: '/spec/template', value: template }],
    contentType: JSON_PATCH,
    summary: `deployment.apps/${nameOf(deployment)} rolled back to revision ${target.revision}`,
  };
}

export function vmAction(namespace: string, name: string, action: 'start' | 'stop' | 'restart'): ApiRequest {
  return { method: 'PUT', path: objectPath(kind('virtualmachines'), namespace, name, action), summary: `virtualmachine.kubevirt.io/${name} ${action === 'stop' ? 'stopping' : action === 'start' ? 'starting' : 'restarting'}` };
}

export function cordon(node: string, unschedulable: boolean): ApiRequest {
  return { method: 'PATCH', path: objectPath(kind('nodes'), undefined, node), body: { spec: { unschedulable: unschedulable ? true : null } }, contentType: MERGE, summary: `node/${node} ${unschedulable ? 'cordoned' : 'uncordoned'}` };
}

/**
 * `kubectl drain` minus the waiting: which Pods on the node get evicted. Mirror pods and
 * DaemonSet Pods stay (like --ignore-daemonsets), finished Pods need no eviction.
 */
export function drainPlan(node: string, pods: Obj[]): { evict: Obj[]; skipped: Array<{ pod: Obj; why: string }> } {
  const evict: Obj[] = [];
  const skipped: Array<{ pod: Obj; why: string }> = [];
  for (const pod of pods) {
    if (pod.spec?.nodeName !== node) continue;
    if (pod.metadata?.deletionTimestamp) continue;
    if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') continue;
    if (pod.metadata?.annotations?.['kubernetes.io/config.mirror']) skipped.push({ pod, why: 'mirror pod' });
    else if (controllerOf(pod)?.kind === 'DaemonSet') skipped.push({ pod, why: 'DaemonSet-managed' });
    else evict.push(pod);
  }
  return { evict, skipped };
}

export function evict(pod: Obj): ApiRequest {
  return {
    method: 'POST',
    path: objectPath(kind('pods'), namespaceOf(pod), nameOf(pod), 'eviction'),
    body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: nameOf(pod), namespace: namespaceOf(pod) } },
    contentType: 'application/json',
    summary: `pod/${nameOf(pod)} evicted`,
  };
}

export function remove(k: KindInfo, namespace: string | undefined, name: string): ApiRequest {
  return { method: 'DELETE', path: objectPath(k, namespace, name), body: { kind: 'DeleteOptions', apiVersion: 'v1', propagationPolicy: 'Background' }, contentType: 'application/json', summary: `${k.kind.toLowerCase()}/${name} deleted` };
}

export function replace(k: KindInfo, obj: Obj): ApiRequest {
  return { method: 'PUT', path: objectPath(k, namespaceOf(obj), nameOf(obj)), body: obj, contentType: 'application/json', summary: `${k.kind.toLowerCase()}/${nameOf(obj)} saved` };
}

/** Server-side apply of one manifest (creates or updates), optionally as a dry run. */
export function apply(obj: Obj, defaultNamespace: string, dryRun: boolean): ApiRequest {
  const k = kindByName(obj.kind, obj.apiVersion);
  if (!k) throw new Error(`unknown kind ${obj.apiVersion ?? '?'}/${obj.kind ?? '?'}`);
  if (!nameOf(obj)) throw new Error(`${obj.kind} has no metadata.name`);
  const ns = k.namespaced ? namespaceOf(obj) ?? defaultNamespace : undefined;
  const body = k.namespaced ? { ...obj, metadata: { ...obj.metadata, namespace: ns } } : obj;
  const query = new URLSearchParams({ fieldManager: 'coxswain-dashboard', fieldValidation: 'Strict', force: 'true' });
  if (dryRun) query.set('dryRun', 'All');
  return { method: 'PATCH', path: `${objectPath(k, ns, nameOf(obj))}?${query}`, body, contentType: 'application/apply-patch+yaml', summary: `${qualified(k)}/${nameOf(obj)}` };
}

/** `deployment.apps`, `pod`, `virtualmachine.kubevirt.io` — kubectl's resource words. */
export function qualified(k: KindInfo): string {
  return k.group ? `${k.kind.toLowerCase()}.${k.group}` : k.kind.toLowerCase();
}

export const listPath = collectionPath;
