// rollout history/undo for DaemonSets and StatefulSets, from the ControllerRevisions their
// controllers keep (kubectl's DaemonSetRollbacker/StatefulSetRollbacker): each revision's
// data is the strategic merge patch that restores its template, and undo applies it.
import { CliError } from '../errors';
import { deepEqual } from '../apply/three-way';
import { ResourceMapper } from '../resources/mapper';
import { Obj } from '../types';

export const CONTROLLER_REVISIONS = ResourceMapper.builtinKind('ControllerRevision');
const CHANGE_CAUSE = 'kubernetes.io/change-cause';

export interface ControllerRevisionEntry {
  revision: number;
  changeCause?: string;
  /** The template the revision restores. */
  template: Obj;
  /** The strategic merge patch undo applies. */
  patch: Obj;
}

/** The owner's revisions (controlled by it), oldest first. */
export function controllerRevisions(owner: Obj, items: Obj[]): ControllerRevisionEntry[] {
  const uid = owner.metadata?.uid;
  return items
    .filter((r) => ((r.metadata?.ownerReferences ?? []) as Obj[]).some((o) => o.controller && o.uid === uid))
    .map((r) => {
      const { $patch: _directive, ...template } = (r.data?.spec?.template ?? {}) as Obj;
      return { revision: Number(r.revision ?? 0), changeCause: r.metadata?.annotations?.[CHANGE_CAUSE], template, patch: r.data ?? {} };
    })
    .sort((a, b) => a.revision - b.revision);
}

/** kubectl's findHistory: the revision asked for, or the one before the newest. */
export function revisionToRestore(history: ControllerRevisionEntry[], toRevision: number): ControllerRevisionEntry {
  if (toRevision === 0) {
    if (history.length <= 1) throw new CliError('no last revision to roll back to');
    return history[history.length - 2];
  }
  const found = history.find((r) => r.revision === toRevision);
  if (!found) throw new CliError(`unable to find specified revision ${toRevision} in history`);
  return found;
}

/** Whether the owner already runs the revision's template (kubectl skips the rollback then). */
export const alreadyAt = (owner: Obj, entry: ControllerRevisionEntry): boolean => deepEqual(owner.spec?.template ?? {}, entry.template);
