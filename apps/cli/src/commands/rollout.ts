// coxctl rollout status|history|undo|restart|pause|resume for deployments (status, history,
// undo and restart for DaemonSets and StatefulSets too), with kubectl's messages. The status
// and history logic are pure functions of the objects.
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext, parseDurationMs } from '../context';
import { CliError } from '../errors';
import { deepEqual } from '../apply/three-way';
import { DescribeWriter } from '../describe/writer';
import { writePodTemplate } from '../describe/workloads';
import { toJson, toYaml } from '../printers/output';
import { formatLabelSelector } from '../printers/selector';
import { ApiResource, qualifiedName, ResourceMapper } from '../resources/mapper';
import { Obj } from '../types';
import { startProgress } from '../util/progress';
import { objectRef, requestNamespace, resolveTargets } from './common';
import { alreadyAt, CONTROLLER_REVISIONS, controllerRevisions, ControllerRevisionEntry, revisionToRestore } from './rollout-revisions';

const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const REPLICA_SETS = ResourceMapper.builtinKind('ReplicaSet');

export interface RolloutState {
  message: string;
  done: boolean;
}

/** kubectl's DeploymentStatusViewer. Throws when the progress deadline passed. */
export function deploymentRolloutStatus(d: Obj, wantRevision = 0): RolloutState {
  const name = d.metadata?.name;
  if (wantRevision > 0) {
    const revision = Number(d.metadata?.annotations?.[REVISION] ?? 0);
    if (revision !== wantRevision) throw new CliError(`desired revision (${wantRevision}) is different from the running revision (${revision})`);
  }
  const st = d.status ?? {};
  if ((d.metadata?.generation ?? 0) <= (st.observedGeneration ?? 0)) {
    const progressing = ((st.conditions ?? []) as Obj[]).find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') throw new CliError(`deployment "${name}" exceeded its progress deadline`);
    const replicas = d.spec?.replicas ?? 1;
    const updated = st.updatedReplicas ?? 0;
    if (updated < replicas) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${updated} out of ${replicas} new replicas have been updated...\n` };
    if ((st.replicas ?? 0) > updated) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${(st.replicas ?? 0) - updated} old replicas are pending termination...\n` };
    if ((st.availableReplicas ?? 0) < updated) return { done: false, message: `Waiting for deployment "${name}" rollout to finish: ${st.availableReplicas ?? 0} of ${updated} updated replicas are available...\n` };
    return { done: true, message: `deployment "${name}" successfully rolled out\n` };
  }
  return { done: false, message: 'Waiting for deployment spec update to be observed...\n' };
}

/** kubectl's DaemonSetStatusViewer (the revision is ignored, as there). */
export function daemonSetRolloutStatus(ds: Obj): RolloutState {
  const name = ds.metadata?.name;
  if ((ds.spec?.updateStrategy?.type ?? 'RollingUpdate') !== 'RollingUpdate') throw new CliError('rollout status is only available for RollingUpdate strategy type');
  const st = ds.status ?? {};
  if ((ds.metadata?.generation ?? 0) > (st.observedGeneration ?? 0)) return { done: false, message: 'Waiting for daemon set spec update to be observed...\n' };
  const desired = st.desiredNumberScheduled ?? 0;
  const updated = st.updatedNumberScheduled ?? 0;
  if (updated < desired) return { done: false, message: `Waiting for daemon set "${name}" rollout to finish: ${updated} out of ${desired} new pods have been updated...\n` };
  const available = st.numberAvailable ?? 0;
  if (available < desired) return { done: false, message: `Waiting for daemon set "${name}" rollout to finish: ${available} of ${desired} updated pods are available...\n` };
  return { done: true, message: `daemon set "${name}" successfully rolled out\n` };
}

/** kubectl's StatefulSetStatusViewer: a partitioned rollout is done once the ordinals above the partition are updated. */
export function statefulSetRolloutStatus(sts: Obj): RolloutState {
  const strategy = sts.spec?.updateStrategy ?? { type: 'RollingUpdate' };
  if ((strategy.type ?? 'RollingUpdate') !== 'RollingUpdate') throw new CliError('rollout status is only available for RollingUpdate strategy type');
  const st = sts.status ?? {};
  if (!st.observedGeneration || (sts.metadata?.generation ?? 0) > st.observedGeneration) return { done: false, message: 'Waiting for statefulset spec update to be observed...\n' };
  const replicas: number | undefined = sts.spec?.replicas;
  const ready = st.readyReplicas ?? 0;
  const updated = st.updatedReplicas ?? 0;
  if (replicas !== undefined && ready < replicas) return { done: false, message: `Waiting for ${replicas - ready} pods to be ready...\n` };
  if (strategy.rollingUpdate) {
    const partition: number | undefined = strategy.rollingUpdate.partition;
    if (replicas !== undefined && partition !== undefined && updated < replicas - partition) {
      return { done: false, message: `Waiting for partitioned roll out to finish: ${updated} out of ${replicas - partition} new pods have been updated...\n` };
    }
    return { done: true, message: `partitioned roll out complete: ${updated} new pods have been updated...\n` };
  }
  if (st.updateRevision !== st.currentRevision) return { done: false, message: `waiting for statefulset rolling update to complete ${updated} pods at revision ${st.updateRevision}...\n` };
  return { done: true, message: `statefulset rolling update complete ${st.currentReplicas ?? 0} pods at revision ${st.currentRevision}...\n` };
}

/** The status viewer kubectl picks for the kind. */
export function rolloutStatus(resource: Pick<ApiResource, 'kind'>, obj: Obj, wantRevision = 0): RolloutState {
  if (resource.kind === 'DaemonSet') return daemonSetRolloutStatus(obj);
  if (resource.kind === 'StatefulSet') return statefulSetRolloutStatus(obj);
  return deploymentRolloutStatus(obj, wantRevision);
}

export interface Revision {
  revision: number;
  changeCause?: string;
  replicaSet: Obj;
}

/** The deployment's revisions, oldest first, from the replica sets it owns. */
export function revisions(deployment: Obj, replicaSets: Obj[]): Revision[] {
  const uid = deployment.metadata?.uid;
  return replicaSets
    .filter((rs) => !uid || ((rs.metadata?.ownerReferences ?? []) as Obj[]).some((o) => o.uid === uid))
    .map((rs) => ({ revision: Number(rs.metadata?.annotations?.[REVISION] ?? 0), changeCause: rs.metadata?.annotations?.[CHANGE_CAUSE], replicaSet: rs }))
    .filter((r) => r.revision > 0)
    .sort((a, b) => a.revision - b.revision);
}

/** The template `rollout undo` restores: the revision asked for, or the one before the current. */
export function undoTarget(history: Revision[], toRevision: number, name: string): Revision {
  if (!history.length) throw new CliError(`no rollout history found for deployment "${name}"`);
  if (toRevision > 0) {
    const found = history.find((r) => r.revision === toRevision);
    if (!found) throw new CliError(`unable to find specified revision ${toRevision} in history`);
    return found;
  }
  if (history.length < 2) throw new CliError(`no rollout history found for deployment "${name}"`);
  return history[history.length - 2];
}

/** A replica set's template as the deployment would carry it (without the pod-template-hash label). */
export function templateOf(rs: Obj): Obj {
  const template = structuredClone(rs.spec?.template ?? {});
  if (template.metadata?.labels) delete template.metadata.labels['pod-template-hash'];
  return template;
}

const isRevisioned = (r: Pick<ApiResource, 'group' | 'kind'>): boolean => r.group === 'apps' && (r.kind === 'DaemonSet' || r.kind === 'StatefulSet');

async function deploymentsFrom(ctx: CommandContext, parsed: ParsedArgs, sub: string): Promise<Array<{ resource: ApiResource; name: string; namespace?: string }>> {
  const { targets } = await resolveTargets(ctx, parsed.args, `rollout ${sub}`);
  const out: Array<{ resource: ApiResource; name: string; namespace?: string }> = [];
  for (const t of targets) {
    // kubectl's restarter, history viewer and rollbacker also take DaemonSets and StatefulSets.
    const templated = (sub === 'restart' || sub === 'history' || sub === 'undo' || sub === 'status') && isRevisioned(t.resource);
    if (!templated && (t.resource.group !== 'apps' || t.resource.kind !== 'Deployment')) throw new CliError(`no ${sub === 'status' ? 'status viewer' : sub === 'history' ? 'history viewer' : 'rollbacker'} has been implemented for ${qualifiedName(t.resource)}; rollout supports deployments`);
    if (!t.names.length) throw new UsageError(`rollout ${sub} needs a deployment name (deployment/NAME)`, ctx.commandPath);
    for (const name of t.names) out.push({ resource: t.resource, name, namespace: requestNamespace(ctx, t.resource) });
  }
  return out;
}

export async function runRollout(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const sub = ctx.commandPath[1];
  const deployments = await deploymentsFrom(ctx, parsed, sub);
  for (const d of deployments) {
    switch (sub) {
      case 'status':
        await status(ctx, d.resource, d.name, d.namespace);
        break;
      case 'history':
        await history(ctx, d.resource, d.name, d.namespace);
        break;
      case 'undo':
        await undo(ctx, d.resource, d.name, d.namespace);
        break;
      case 'restart':
      case 'pause':
      case 'resume':
        await toggle(ctx, sub, d.resource, d.name, d.namespace);
        break;
    }
  }
  return 0;
}

async function status(ctx: CommandContext, resource: ApiResource, name: string, namespace?: string): Promise<void> {
  const timeout = parseDurationMs(ctx.str('timeout'));
  const deadline = timeout > 0 ? Date.now() + timeout : Infinity;
  const want = ctx.int('revision');
  let last = '';
  const show = (d: Obj): boolean => {
    const state = rolloutStatus(resource, d, want);
    if (state.message !== last) ctx.out(state.message);
    last = state.message;
    return state.done;
  };
  const first = await ctx.client.get<Obj>(resource, name, { namespace });
  if (show(first) || !ctx.bool('watch')) return;
  const progress = startProgress(ctx.io.stderr, `waiting for ${objectRef(resource, name)}`);
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  ctx.io.signal?.addEventListener('abort', onAbort, { once: true });
  const timer = Number.isFinite(deadline) ? setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now())) : undefined;
  let resourceVersion = first.metadata?.resourceVersion;
  try {
    while (!controller.signal.aborted) {
      try {
        const stream = await ctx.client.watch<Obj>(resource, { namespace, fieldSelector: `metadata.name=${name}`, resourceVersion, signal: controller.signal });
        for await (const ev of stream) {
          resourceVersion = ev.object.metadata?.resourceVersion ?? resourceVersion;
          if (ev.type === 'DELETED') throw new CliError(`object has been deleted`);
          if (ev.type !== 'BOOKMARK' && show(ev.object)) return;
        }
      } catch (error) {
        if (!controller.signal.aborted) throw error;
      }
    }
    if (!ctx.io.signal?.aborted) throw new CliError('timed out waiting for the condition');
  } finally {
    if (timer) clearTimeout(timer);
    ctx.io.signal?.removeEventListener('abort', onAbort);
    progress.done();
  }
}

async function ownedHistory(ctx: CommandContext, resource: ApiResource, name: string, namespace?: string): Promise<{ deployment: Obj; history: Revision[] }> {
  const deployment = await ctx.client.get<Obj>(resource, name, { namespace });
  const list = await ctx.client.list<Obj>(REPLICA_SETS, { namespace, labelSelector: formatLabelSelector(deployment.spec?.selector) });
  return { deployment, history: revisions(deployment, list.items) };
}

/** The controller's ControllerRevisions (DaemonSet, StatefulSet), oldest first. */
async function revisionedHistory(ctx: CommandContext, resource: ApiResource, name: string, namespace?: string): Promise<{ owner: Obj; history: ControllerRevisionEntry[] }> {
  const owner = await ctx.client.get<Obj>(resource, name, { namespace });
  const list = await ctx.client.list<Obj>(CONTROLLER_REVISIONS, { namespace, labelSelector: formatLabelSelector(owner.spec?.selector) });
  return { owner, history: controllerRevisions(owner, list.items) };
}

async function history(ctx: CommandContext, resource: ApiResource, name: string, namespace?: string): Promise<void> {
  // `template` is what -o prints; `described` what the describe form shows (a ReplicaSet's own template).
  const history: Array<{ revision: number; changeCause?: string; template: Obj; described: Obj }> = isRevisioned(resource)
    ? (await revisionedHistory(ctx, resource, name, namespace)).history.map((r) => ({ ...r, described: r.template }))
    : (await ownedHistory(ctx, resource, name, namespace)).history.map((r) => ({ revision: r.revision, changeCause: r.changeCause, template: templateOf(r.replicaSet), described: r.replicaSet.spec?.template }));
  const wanted = ctx.int('revision');
  if (wanted > 0) {
    const rev = history.find((r) => r.revision === wanted);
    if (!rev) throw new CliError(`unable to find the specified revision`);
    const format = ctx.str('output');
    if (format === 'json' || format === 'yaml') {
      const template = { apiVersion: 'v1', kind: 'PodTemplateSpec', ...rev.template };
      ctx.out(format === 'json' ? toJson(template) : toYaml(template));
      return;
    }
    const w = new DescribeWriter();
    writePodTemplate(w, rev.described);
    ctx.out(`${objectRef(resource, name)} with revision #${wanted}\n${w.toString()}\n`);
    return;
  }
  if (!history.length) {
    ctx.out(`No rollout history found.\n`);
    return;
  }
  const w = new DescribeWriter();
  w.write(0, 'REVISION\tCHANGE-CAUSE\n');
  for (const r of history) w.write(0, `${r.revision}\t${r.changeCause ?? '<none>'}\n`);
  ctx.out(`${objectRef(resource, name)} \n${w.toString()}\n`);
}

/** kubectl's DaemonSet/StatefulSet rollbacker: applies the revision's patch to the template. */
async function undoRevisioned(ctx: CommandContext, resource: ApiResource, name: string, namespace?: string): Promise<void> {
  const { owner, history } = await revisionedHistory(ctx, resource, name, namespace);
  const toRevision = ctx.int('to-revision');
  const target = revisionToRestore(history, toRevision);
  if (alreadyAt(owner, target)) {
    ctx.out(`${objectRef(resource, name)} skipped rollback (current template already matches revision ${toRevision})\n`);
    return;
  }
  const dryRun = ctx.str('dry-run') || 'none';
  if (dryRun !== 'client') await ctx.client.patch(resource, name, target.patch, { namespace, type: 'strategic', dryRun: dryRun === 'server' });
  ctx.out(`${objectRef(resource, name)} rolled back${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}\n`);
}

async function undo(ctx: CommandContext, resource: ApiResource, name: string, namespace?: string): Promise<void> {
  if (isRevisioned(resource)) return undoRevisioned(ctx, resource, name, namespace);
  const { deployment, history } = await ownedHistory(ctx, resource, name, namespace);
  if (deployment.spec?.paused) throw new CliError(`you cannot rollback a paused deployment; resume it first with 'coxctl rollout resume deployment/${name}' and try again`);
  const target = undoTarget(history, ctx.int('to-revision'), name);
  const template = templateOf(target.replicaSet);
  if (deepEqual(template, deployment.spec?.template)) {
    ctx.out(`${objectRef(resource, name)} skipped rollback (current template already matches revision ${target.revision})\n`);
    return;
  }
  const dryRun = ctx.str('dry-run') || 'none';
  if (dryRun !== 'client') {
    const ops = [{ op: 'replace', path: '/spec/template', value: template }];
    await ctx.client.patch(resource, name, ops, { namespace, type: 'json', dryRun: dryRun === 'server' });
  }
  ctx.out(`${objectRef(resource, name)} rolled back${dryRun === 'client' ? ' (dry run)' : dryRun === 'server' ? ' (server dry run)' : ''}\n`);
}

async function toggle(ctx: CommandContext, sub: 'restart' | 'pause' | 'resume', resource: ApiResource, name: string, namespace?: string): Promise<void> {
  const d = await ctx.client.get<Obj>(resource, name, { namespace });
  const what = `${qualifiedName(resource)} "${name}"`;
  let patch: Obj;
  if (sub === 'pause') {
    if (d.spec?.paused) throw new CliError(`${what} is already paused`);
    patch = { spec: { paused: true } };
  } else if (sub === 'resume') {
    if (!d.spec?.paused) throw new CliError(`${what} is not paused`);
    patch = { spec: { paused: null } };
  } else {
    if (d.spec?.paused) throw new CliError(`${what} can't restart paused deployment (run rollout resume first)`);
    patch = { spec: { template: { metadata: { annotations: { [RESTARTED_AT]: ctx.now().toISOString().replace(/\.\d{3}Z$/, 'Z') } } } } };
  }
  await ctx.client.patch(resource, name, patch, { namespace, type: 'strategic' });
  ctx.out(`${objectRef(resource, name)} ${sub === 'restart' ? 'restarted' : sub === 'pause' ? 'paused' : 'resumed'}\n`);
}
