// autoscaling/v2 HorizontalPodAutoscaler.
import { Condition } from '../meta/types';
import { AnyValue, Int, Nested, NestedList, OneOf, Opt, QuantityValue, Req, Str } from '../validation/decorators';
import { KindBase } from './meta';

export class CrossVersionObjectReference {
  @Req(Str()) kind!: string;
  @Req(Str()) name!: string;
  @Opt(Str()) apiVersion?: string;
}

export class MetricTarget {
  @Req(OneOf(['Utilization', 'Value', 'AverageValue'])) type!: 'Utilization' | 'Value' | 'AverageValue';
  @Opt(QuantityValue()) value?: string;
  @Opt(QuantityValue()) averageValue?: string;
  @Opt(Int(1)) averageUtilization?: number;
}

export class ResourceMetricSource {
  @Req(OneOf(['cpu', 'memory'])) name!: 'cpu' | 'memory';
  @Req(Nested(() => MetricTarget)) target!: MetricTarget;
}

export class ContainerResourceMetricSource extends ResourceMetricSource {
  @Req(Str()) container!: string;
}

export class MetricSpec {
  @Req(OneOf(['Resource', 'ContainerResource', 'Pods', 'Object', 'External'])) type!: string;
  @Opt(Nested(() => ResourceMetricSource)) resource?: ResourceMetricSource;
  @Opt(Nested(() => ContainerResourceMetricSource)) containerResource?: ContainerResourceMetricSource;
  @AnyValue() pods?: unknown;
  @AnyValue() object?: unknown;
  @AnyValue() external?: unknown;
}

export class HPAScalingPolicy {
  @Req(OneOf(['Pods', 'Percent'])) type!: 'Pods' | 'Percent';
  @Req(Int(1)) value!: number;
  @Req(Int(1, 1800)) periodSeconds!: number;
}

export class HPAScalingRules {
  @Opt(Int(0, 3600)) stabilizationWindowSeconds?: number;
  @Opt(OneOf(['Max', 'Min', 'Disabled'])) selectPolicy?: 'Max' | 'Min' | 'Disabled';
  @Opt(NestedList(() => HPAScalingPolicy)) policies?: HPAScalingPolicy[];
  @AnyValue() tolerance?: unknown;
}

export class HorizontalPodAutoscalerBehavior {
  @Opt(Nested(() => HPAScalingRules)) scaleUp?: HPAScalingRules;
  @Opt(Nested(() => HPAScalingRules)) scaleDown?: HPAScalingRules;
}

export class HorizontalPodAutoscalerSpec {
  @Req(Nested(() => CrossVersionObjectReference)) scaleTargetRef!: CrossVersionObjectReference;
  @Opt(Int(1)) minReplicas?: number;
  @Req(Int(1)) maxReplicas!: number;
  @Opt(NestedList(() => MetricSpec)) metrics?: MetricSpec[];
  @Opt(Nested(() => HorizontalPodAutoscalerBehavior)) behavior?: HorizontalPodAutoscalerBehavior;
}

export interface MetricStatus {
  type: string;
  resource?: { name: string; current: { averageUtilization?: number; averageValue?: string; value?: string } };
}

export interface HorizontalPodAutoscalerStatus {
  observedGeneration?: number;
  lastScaleTime?: string;
  currentReplicas?: number;
  desiredReplicas: number;
  currentMetrics?: MetricStatus[];
  conditions?: Condition[];
}

export class HorizontalPodAutoscaler extends KindBase {
  @Req(Nested(() => HorizontalPodAutoscalerSpec)) spec!: HorizontalPodAutoscalerSpec;
  @AnyValue() status?: HorizontalPodAutoscalerStatus;
}

// --- autoscaling/v1: served for older clients (`kubectl autoscale`); stored as v2 ---

export class HorizontalPodAutoscalerSpecV1 {
  @Req(Nested(() => CrossVersionObjectReference)) scaleTargetRef!: CrossVersionObjectReference;
  @Opt(Int(1)) minReplicas?: number;
  @Req(Int(1)) maxReplicas!: number;
  @Opt(Int(1)) targetCPUUtilizationPercentage?: number;
}

export interface HorizontalPodAutoscalerStatusV1 {
  observedGeneration?: number;
  lastScaleTime?: string;
  currentReplicas: number;
  desiredReplicas: number;
  currentCPUUtilizationPercentage?: number;
}

export class HorizontalPodAutoscalerV1 extends KindBase {
  @Req(Nested(() => HorizontalPodAutoscalerSpecV1)) spec!: HorizontalPodAutoscalerSpecV1;
  @AnyValue() status?: HorizontalPodAutoscalerStatusV1;
}
