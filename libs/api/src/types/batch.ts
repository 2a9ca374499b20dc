// batch/v1 Job and CronJob (Kubernetes' shapes; the fields Coxswain acts on are validated,
// the rest of status is free-form because only the controllers write it).
import { Condition, ObjectMeta } from '../meta/types';
import { AnyValue, Bool, Int, Nested, NestedList, OneOf, Opt, Req, Str } from '../validation/decorators';
import { KindBase, LabelSelectorFields, ObjectMetaFields } from './meta';
import { PodTemplateSpec } from './pod';

export const JOB_COMPLETION_MODES = ['NonIndexed', 'Indexed'] as const;
export type JobCompletionMode = (typeof JOB_COMPLETION_MODES)[number];
export const POD_FAILURE_POLICY_ACTIONS = ['FailJob', 'Ignore', 'Count', 'FailIndex'] as const;
export type PodFailurePolicyAction = (typeof POD_FAILURE_POLICY_ACTIONS)[number];

/** Labels and annotations Kubernetes' Job controller writes (and users select on). */
export const JOB_LABELS = {
  controllerUid: 'batch.kubernetes.io/controller-uid',
  jobName: 'batch.kubernetes.io/job-name',
  legacyControllerUid: 'controller-uid',
  legacyJobName: 'job-name',
  completionIndex: 'batch.kubernetes.io/job-completion-index',
} as const;
export const JOB_COMPLETION_INDEX_ENV = 'JOB_COMPLETION_INDEX';
/** Annotation `kubectl create job --from=cronjob/x` puts on the Job. */
export const CRONJOB_INSTANTIATE_ANNOTATION = 'cronjob.kubernetes.io/instantiate';
/** Annotation the CronJob controller puts on its Jobs: the scheduled time, RFC 3339. */
export const CRONJOB_SCHEDULED_TIMESTAMP_ANNOTATION = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

export class PodFailurePolicyOnExitCodesRequirement {
  @Opt(Str()) containerName?: string;
  @Req(OneOf(['In', 'NotIn'])) operator!: 'In' | 'NotIn';
  @Req(AnyValue()) values!: number[];
}

export class PodFailurePolicyOnPodConditionsPattern {
  @Req(Str()) type!: string;
  @Opt(OneOf(['True', 'False', 'Unknown'])) status?: 'True' | 'False' | 'Unknown';
}

export class PodFailurePolicyRule {
  @Req(OneOf(POD_FAILURE_POLICY_ACTIONS)) action!: PodFailurePolicyAction;
  @Opt(Nested(() => PodFailurePolicyOnExitCodesRequirement)) onExitCodes?: PodFailurePolicyOnExitCodesRequirement;
  @Opt(NestedList(() => PodFailurePolicyOnPodConditionsPattern)) onPodConditions?: PodFailurePolicyOnPodConditionsPattern[];
}

export class PodFailurePolicy {
  @Req(NestedList(() => PodFailurePolicyRule)) rules!: PodFailurePolicyRule[];
}

export class JobSpec {
  @Opt(Int(0)) parallelism?: number;
  @Opt(Int(0)) completions?: number;
  @Opt(Int(1)) activeDeadlineSeconds?: number;
  @Opt(Int(0)) backoffLimit?: number;
  @Opt(Nested(() => LabelSelectorFields)) selector?: LabelSelectorFields;
  @Opt(Bool()) manualSelector?: boolean;
  @Req(Nested(() => PodTemplateSpec)) template!: PodTemplateSpec;
  @Opt(Int(0)) ttlSecondsAfterFinished?: number;
  @Opt(OneOf(JOB_COMPLETION_MODES)) completionMode?: JobCompletionMode;
  @Opt(Bool()) suspend?: boolean;
  @Opt(Nested(() => PodFailurePolicy)) podFailurePolicy?: PodFailurePolicy;
  @Opt(OneOf(['TerminatingOrFailed', 'Failed'])) podReplacementPolicy?: 'TerminatingOrFailed' | 'Failed';
}

export interface UncountedTerminatedPods {
  succeeded?: string[];
  failed?: string[];
}

export interface JobStatus {
  conditions?: Condition[];
  startTime?: string;
  completionTime?: string;
  active?: number;
  succeeded?: number;
  failed?: number;
  terminating?: number;
  ready?: number;
  /** Indexed Jobs: compressed list of succeeded indexes, e.g. `1,3-5`. */
  completedIndexes?: string;
  failedIndexes?: string;
  uncountedTerminatedPods?: UncountedTerminatedPods;
}

export class Job extends KindBase {
  @Req(Nested(() => JobSpec)) spec!: JobSpec;
  @AnyValue() status?: JobStatus;
}

export class JobTemplateSpec {
  @Opt(Nested(() => ObjectMetaFields)) metadata?: ObjectMeta;
  @Req(Nested(() => JobSpec)) spec!: JobSpec;
}

export const CONCURRENCY_POLICIES = ['Allow', 'Forbid', 'Replace'] as const;
export type ConcurrencyPolicy = (typeof CONCURRENCY_POLICIES)[number];

export class CronJobSpec {
  @Req(Str()) schedule!: string;
  @Opt(Str()) timeZone?: string;
  @Opt(Int(0)) startingDeadlineSeconds?: number;
  @Opt(OneOf(CONCURRENCY_POLICIES)) concurrencyPolicy?: ConcurrencyPolicy;
  @Opt(Bool()) suspend?: boolean;
  @Req(Nested(() => JobTemplateSpec)) jobTemplate!: JobTemplateSpec;
  @Opt(Int(0)) successfulJobsHistoryLimit?: number;
  @Opt(Int(0)) failedJobsHistoryLimit?: number;
}

export interface CronJobStatus {
  active?: { apiVersion?: string; kind?: string; name?: string; namespace?: string; uid?: string; resourceVersion?: string }[];
  lastScheduleTime?: string;
  lastSuccessfulTime?: string;
}

export class CronJob extends KindBase {
  @Req(Nested(() => CronJobSpec)) spec!: CronJobSpec;
  @AnyValue() status?: CronJobStatus;
}
