// Who uses a claim, for pvc-protection: Pods and VMIs that name it and have not terminated
// (Kubernetes' pvc-protection controller counts every pod that is not Succeeded or Failed).
import { claimNamesOf, Pod, VirtualMachineInstance } from '@coxswain/api';

const isVmi = (obj: Pod | VirtualMachineInstance): obj is VirtualMachineInstance => obj.kind === 'VirtualMachineInstance' || 'domain' in ((obj.spec ?? {}) as object);

export function claimsUsedBy(obj: Pod | VirtualMachineInstance): string[] {
  return claimNamesOf({ kind: isVmi(obj) ? 'VirtualMachineInstance' : 'Pod', spec: obj.spec });
}

export function isTerminated(obj: Pod | VirtualMachineInstance): boolean {
  const phase = (obj.status as { phase?: string } | undefined)?.phase;
  return phase === 'Succeeded' || phase === 'Failed';
}
