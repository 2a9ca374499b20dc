// @coxswain/api: resource types, validation, quantities, selectors and Status errors.
import 'reflect-metadata';

export * from './meta/types';
export { parseDuration } from './meta/duration';
export * from './status/status';
export * from './quantity/quantity';
export * from './selectors/label-selector';
export * from './selectors/field-selector';
export * from './validation/names';
export { validateObject, assertValid, pruneFields, type FieldValidation, type ValidationResult, type ValidateOptions } from './validation/validate';
export { validateUpdate } from './validation/update';
export { checkPodSpec, checkVmiSpec } from './validation/semantics';
export { applyDefaults, defaultPodSpec, defaultPullPolicy } from './defaults/defaults';
export * from './resources/registry';
export * from './types/meta';
export * from './types/pod';
export * from './types/cluster';
export * from './types/apps';
export * from './types/autoscaling';
export * from './types/kubevirt';
export * from './types/network';
export { MAX_CLIENT_IP_AFFINITY_SECONDS, DEFAULT_CLIENT_IP_AFFINITY_SECONDS } from './validation/network';
export { mergeKeyFor, MERGED_PRIMITIVE_LISTS } from './patch/merge-keys';
export { hpaV1ToV2, hpaV2ToV1 } from './conversion/hpa';
