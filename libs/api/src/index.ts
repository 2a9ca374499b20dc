// @coxswain/api: resource types, validation, quantities, selectors and Status errors — all of
// the browser entry (browser.ts), with the kinds' classes as values, plus what needs decorators.
import 'reflect-metadata';

export * from './browser';
export { parseDuration } from './meta/duration';
export { validateObject, assertValid, pruneFields, type FieldValidation, type ValidationResult, type ValidateOptions } from './validation/validate';
export { validateUpdate } from './validation/update';
export { checkPodSpec, checkVmiSpec } from './validation/semantics';
export { podSpecsOf } from './validation/pod-specs';
export { applyDefaults, defaultPodSpec, defaultPullPolicy } from './defaults/defaults';
export * from './resources/registry';
export * from './types/meta';
export * from './types/pod';
export * from './types/cluster';
export * from './types/apps';
export * from './types/autoscaling';
export * from './types/kubevirt';
export * from './types/security';
export { SAFE_SYSCTLS, isSafeSysctl, isNamespacedSysctl, normalizeSysctl } from './validation/security';
export * from './types/network';
export { MAX_CLIENT_IP_AFFINITY_SECONDS, DEFAULT_CLIENT_IP_AFFINITY_SECONDS } from './validation/network';
export * from './types/config';
export * from './types/storage';
export * from './types/cdi';
export { MOUNTABLE_PV_SOURCES } from './validation/storage';
export { isConfigMapKey, isBase64, base64ToUtf8, utf8ToBase64, MAX_CONFIG_SIZE } from './validation/config';
export * from './types/batch';
export * from './types/workloads';
export * from './types/policy';
export { generateJobSelector } from './batch/job-selector';
export { parseCronSchedule, isValidTimeZone, scheduleWindow, type ScheduleWindow } from './batch/cron';
export { mergeKeyFor, MERGED_PRIMITIVE_LISTS } from './patch/merge-keys';
export { hpaV1ToV2, hpaV2ToV1 } from './conversion/hpa';
export { coreEventToEventsV1, eventsV1ToCoreEvent, validateEventsV1Create } from './conversion/events';
export * from './types/certificates';
export * from './certificates';
export { checkCsrStatusUpdate, csrHasCondition, signerNameProblems } from './validation/certificates';
