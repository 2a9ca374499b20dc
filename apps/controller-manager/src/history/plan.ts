// Controller history (Kubernetes' controller_history): the ControllerRevisions a DaemonSet or
// StatefulSet keeps of its templates. Each revision's data is the strategic merge patch that
// restores the template (`{"spec":{"template":{…,"$patch":"replace"}}}`, what `kubectl rollout
// undo` applies); going back to an earlier template renumbers its revision instead of adding
// one; revisions no pod runs are pruned beyond revisionHistoryLimit. Pure.
import { CONTROLLER_REVISION_HASH_LABEL, ControllerRevision, LabelSelector, PodTemplateSpec } from '@coxswain/api';
import { templateHash } from '../deployment/util';
import { deepEqual } from '../framework/objects';
import { Claims, controllerRef, OwnerIdentity, planClaims, withControllerRef } from '../framework/owners';

export const DEFAULT_REVISION_HISTORY_LIMIT = 10;

export interface HistoryOwner extends OwnerIdentity {
  metadata: OwnerIdentity['metadata'] & { namespace?: string; annotations?: Record<string, string> };
  spec: { template: PodTemplateSpec; revisionHistoryLimit?: number; selector?: LabelSelector };
  status?: { collisionCount?: number };
}

export interface HistoryInput {
  owner: HistoryOwner;
  /** The revisions the owner controls. */
  revisions: ControllerRevision[];
  /** Whether a revision must be kept whatever the limit (pods run it, or it is the set's current one). */
  inUse(revision: ControllerRevision): boolean;
}

export interface HistoryPlan {
  /** The revision of the current template: an existing one, or `create`. */
  update: ControllerRevision;
  create?: ControllerRevision;
  /** An existing revision of the current template that must become the newest. */
  renumber?: { revision: ControllerRevision; to: number };
  delete: ControllerRevision[];
}

/** The patch that restores a template, as Kubernetes' DaemonSet and StatefulSet controllers store it. */
export function revisionData(template: PodTemplateSpec): Record<string, unknown> {
  return { spec: { template: { ...structuredClone(template), $patch: 'replace' } } };
}

/** The template a revision restores (its data without the directive). */
export function templateOfRevision(revision: ControllerRevision): PodTemplateSpec | undefined {
  const template = (revision.data as { spec?: { template?: Record<string, unknown> } } | undefined)?.spec?.template;
  if (!template) return undefined;
  const { $patch: _directive, ...rest } = template;
  return rest as unknown as PodTemplateSpec;
}

export const revisionNumber = (r: ControllerRevision): number => r.revision ?? 0;
export const revisionHash = (r: ControllerRevision): string | undefined => r.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL];

/** `<prefix>-<hash>`, the prefix cut to 223 characters as Kubernetes does. */
export const controllerRevisionName = (prefix: string, hash: string): string => `${prefix.slice(0, 223)}-${hash}`;

/** A new revision of the owner's current template, numbered `revision`. */
export function newRevision(owner: HistoryOwner, revision: number): ControllerRevision {
  const hash = templateHash(owner.spec.template, owner.status?.collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(owner.metadata.name!, hash),
      namespace: owner.metadata.namespace,
      labels: { ...(owner.spec.template.metadata?.labels ?? {}), [CONTROLLER_REVISION_HASH_LABEL]: hash },
      ...(owner.metadata.annotations ? { annotations: { ...owner.metadata.annotations } } : {}),
      ownerReferences: [controllerRef(owner)],
    },
    data: revisionData(owner.spec.template),
    revision,
  };
}

export const sameData = (a: ControllerRevision, b: ControllerRevision): boolean => deepEqual(a.data, b.data);

export interface RevisionClaims extends Claims<ControllerRevision> {
  /** What the owner controls once the adoptions land (adopted ones carry its controller reference). */
  revisions: ControllerRevision[];
}

/**
 * Kubernetes' ClaimControllerRevisions: among the namespace's revisions, orphans the owner's
 * selector matches are adopted (a set deleted with `--cascade=orphan` and created again finds
 * its history), revisions it controls that no longer match are released, other owners'
 * revisions are left alone. An owner being deleted adopts nothing.
 */
export function planRevisionClaims(owner: HistoryOwner, candidates: ControllerRevision[]): RevisionClaims {
  const claims = planClaims(owner, owner.spec.selector, candidates);
  const adopted = new Set(claims.adopt);
  const revisions = claims.owned.map((r) => (adopted.has(r) ? { ...r, metadata: { ...r.metadata, ownerReferences: withControllerRef(r, owner) } } : r));
  return { ...claims, revisions };
}

export function planHistory(input: HistoryInput): HistoryPlan {
  const { owner } = input;
  const sorted = [...input.revisions].sort((a, b) => revisionNumber(a) - revisionNumber(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
  const max = sorted.reduce((m, r) => Math.max(m, revisionNumber(r)), 0);
  const wanted = newRevision(owner, max + 1);
  const equal = sorted.filter((r) => sameData(r, wanted));
  const plan: HistoryPlan = { update: wanted, delete: [] };
  if (equal.length === 0) {
    plan.create = wanted;
  } else {
    // The newest equal revision is the one; duplicates go.
    const found = equal[equal.length - 1];
    plan.delete.push(...equal.slice(0, -1));
    plan.update = found;
    if (revisionNumber(found) < max) {
      plan.renumber = { revision: found, to: max + 1 };
      plan.update = { ...found, revision: max + 1 };
    }
  }
  // Prune: the oldest revisions nothing uses, beyond the limit.
  const limit = owner.spec.revisionHistoryLimit ?? DEFAULT_REVISION_HISTORY_LIMIT;
  const dropped = new Set(plan.delete);
  const prunable = sorted.filter((r) => !dropped.has(r) && r.metadata.name !== plan.update.metadata.name && !input.inUse(r));
  plan.delete.push(...prunable.slice(0, Math.max(0, prunable.length - limit)));
  return plan;
}
