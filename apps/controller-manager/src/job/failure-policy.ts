// podFailurePolicy: the first rule matching a failed pod decides what its failure means.
import { Pod, PodFailurePolicy, PodFailurePolicyAction, PodFailurePolicyRule } from '@coxswain/api';

export interface FailureMatch {
  action: PodFailurePolicyAction;
  ruleIndex: number;
  /** Kubernetes' event/condition wording for the match. */
  message: string;
}

function exitCodeMatch(pod: Pod, rule: PodFailurePolicyRule): { container: string; code: number } | undefined {
  const req = rule.onExitCodes;
  if (!req) return undefined;
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  for (const status of statuses) {
    if (req.containerName && status.name !== req.containerName) continue;
    const code = status.state?.terminated?.exitCode;
    if (code === undefined || code === 0) continue;
    const listed = req.values.includes(code);
    if ((req.operator === 'In' && listed) || (req.operator === 'NotIn' && !listed)) return { container: status.name, code };
  }
  return undefined;
}

function conditionMatch(pod: Pod, rule: PodFailurePolicyRule): string | undefined {
  for (const pattern of rule.onPodConditions ?? []) {
    const found = pod.status?.conditions?.find((c) => c.type === pattern.type && c.status === (pattern.status ?? 'True'));
    if (found) return found.type;
  }
  return undefined;
}

/** The action for a failed pod, or undefined when no rule matches (the failure counts). */
export function matchFailurePolicy(policy: PodFailurePolicy | undefined, pod: Pod): FailureMatch | undefined {
  const podRef = `${pod.metadata.namespace}/${pod.metadata.name}`;
  for (const [ruleIndex, rule] of (policy?.rules ?? []).entries()) {
    const byCode = exitCodeMatch(pod, rule);
    if (byCode) {
      return { action: rule.action, ruleIndex, message: `Container ${byCode.container} for pod ${podRef} failed with exit code ${byCode.code} matching ${rule.action} rule at index ${ruleIndex}` };
    }
    const byCondition = conditionMatch(pod, rule);
    if (byCondition) return { action: rule.action, ruleIndex, message: `Pod ${podRef} has condition ${byCondition} matching ${rule.action} rule at index ${ruleIndex}` };
  }
  return undefined;
}
