// policy/v1 PodDisruptionBudget.
import { Condition } from '../meta/types';
import { AnyValue, IntOrPercent, Nested, OneOf, Opt, Req } from '../validation/decorators';
import { KindBase, LabelSelectorFields } from './meta';

export class PodDisruptionBudgetSpec {
  @Opt(IntOrPercent()) minAvailable?: number | string;
  @Opt(IntOrPercent()) maxUnavailable?: number | string;
  @Opt(Nested(() => LabelSelectorFields)) selector?: LabelSelectorFields;
  @Opt(OneOf(['IfHealthyBudget', 'AlwaysAllow'])) unhealthyPodEvictionPolicy?: 'IfHealthyBudget' | 'AlwaysAllow';
}

export interface PodDisruptionBudgetStatus {
  observedGeneration?: number;
  /** Pods (and VMIs) evicted but not yet gone: name → eviction time. */
  disruptedPods?: Record<string, string>;
  disruptionsAllowed: number;
  currentHealthy: number;
  desiredHealthy: number;
  expectedPods: number;
  conditions?: Condition[];
}

export class PodDisruptionBudget extends KindBase {
  @Req(Nested(() => PodDisruptionBudgetSpec)) spec!: PodDisruptionBudgetSpec;
  @AnyValue() status?: PodDisruptionBudgetStatus;
}
