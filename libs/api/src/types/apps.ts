// apps/v1 Deployment and ReplicaSet, autoscaling/v1 Scale.
import { Condition } from '../meta/types';
import { AnyValue, Bool, Int, IntOrPercent, Nested, OneOf, Opt, Req } from '../validation/decorators';
import { KindBase, LabelSelectorFields } from './meta';
import { PodTemplateSpec } from './pod';

export class RollingUpdateDeployment {
  @Opt(IntOrPercent()) maxUnavailable?: number | string;
  @Opt(IntOrPercent()) maxSurge?: number | string;
}

export class DeploymentStrategy {
  @Opt(OneOf(['RollingUpdate', 'Recreate'])) type?: 'RollingUpdate' | 'Recreate';
  @Opt(Nested(() => RollingUpdateDeployment)) rollingUpdate?: RollingUpdateDeployment;
}

export class DeploymentSpec {
  @Opt(Int(0)) replicas?: number;
  @Req(Nested(() => LabelSelectorFields)) selector!: LabelSelectorFields;
  @Req(Nested(() => PodTemplateSpec)) template!: PodTemplateSpec;
  @Opt(Nested(() => DeploymentStrategy)) strategy?: DeploymentStrategy;
  @Opt(Int(0)) minReadySeconds?: number;
  @Opt(Int(0)) revisionHistoryLimit?: number;
  @Opt(Bool()) paused?: boolean;
  @Opt(Int(1)) progressDeadlineSeconds?: number;
  /** Deprecated extensions/v1beta1 rollback request; kept so old clients are not rejected. */
  @AnyValue() rollbackTo?: unknown;
}

export interface DeploymentStatus {
  observedGeneration?: number;
  replicas?: number;
  updatedReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  unavailableReplicas?: number;
  conditions?: Condition[];
  collisionCount?: number;
}

export class Deployment extends KindBase {
  @Req(Nested(() => DeploymentSpec)) spec!: DeploymentSpec;
  @AnyValue() status?: DeploymentStatus;
}

export class ReplicaSetSpec {
  @Opt(Int(0)) replicas?: number;
  @Req(Nested(() => LabelSelectorFields)) selector!: LabelSelectorFields;
  @Opt(Nested(() => PodTemplateSpec)) template?: PodTemplateSpec;
  @Opt(Int(0)) minReadySeconds?: number;
}

export interface ReplicaSetStatus {
  replicas: number;
  fullyLabeledReplicas?: number;
  readyReplicas?: number;
  availableReplicas?: number;
  observedGeneration?: number;
  conditions?: Condition[];
}

export class ReplicaSet extends KindBase {
  @Req(Nested(() => ReplicaSetSpec)) spec!: ReplicaSetSpec;
  @AnyValue() status?: ReplicaSetStatus;
}

export class ScaleSpec {
  @Opt(Int(0)) replicas?: number;
}

/** autoscaling/v1 Scale, the body of every `scale` subresource. */
export class Scale extends KindBase {
  @Opt(Nested(() => ScaleSpec)) spec?: ScaleSpec;
  @AnyValue() status?: { replicas: number; selector?: string };
}

export const DEPLOYMENT_STRATEGY_DEFAULTS = { maxSurge: '25%', maxUnavailable: '25%' } as const;
export type DeploymentStrategyType = NonNullable<DeploymentStrategy['type']>;
