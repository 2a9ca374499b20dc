// Input validation: class-validator over the kind's class (types and per-field rules), then
// name rules and cross-field checks. Results are values (a list of causes); callers turn
// them into 422 Invalid or 400 BadRequest Statuses.
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { KubeObject } from '../meta/types';
import { apiVersionOf, resourceForKind, ResourceInfo, qualifiedResource } from '../resources/registry';
import { badRequest, CauseReason, invalid, StatusCause, StatusError } from '../status/status';
import { isDns1123Label, isDns1123Subdomain } from './names';
import { semanticChecks } from './semantics';
import { NotCompilable, validateCompiled } from './compiled';
import { podSpecUnknownFields } from './pod-lifecycle';
import { podSpecsOf } from './pod-specs';

export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

export interface ValidationResult {
  /** Problems that make the object invalid (→ 422). */
  causes: StatusCause[];
  /** Paths of fields the kind does not have (`spec.foo`, `spec.containers[0].bar`). */
  unknownFields: string[];
}

export interface ValidateOptions {
  /** On create a name (or generateName) is required; on update the stored name is used. */
  operation?: 'create' | 'update';
}

const show = (value: unknown): string => JSON.stringify(value) ?? 'null';

function childPath(parent: string, property: string, parentValue: unknown): string {
  if (Array.isArray(parentValue) && /^\d+$/.test(property)) return `${parent}[${property}]`;
  return parent ? `${parent}.${property}` : property;
}

function collect(errors: ValidationError[], parent: string, parentValue: unknown, result: ValidationResult): void {
  for (const error of errors) {
    const path = childPath(parent, error.property, parentValue);
    const constraints = error.constraints ?? {};
    if (constraints.whitelistValidation) result.unknownFields.push(path);
    const names = Object.keys(constraints).filter((n) => n !== 'whitelistValidation' && n !== 'nestedValidation');
    if (names.includes('Required')) {
      result.causes.push({ reason: CauseReason.Required, field: path, message: 'Required value' });
    } else if (names.includes('NotSupported')) {
      result.causes.push({ reason: CauseReason.NotSupported, field: path, message: `Unsupported value: ${show(error.value)}: ${constraints.NotSupported}` });
    } else if (names.length > 0) {
      result.causes.push({ reason: CauseReason.Invalid, field: path, message: `Invalid value: ${show(error.value)}: ${constraints[names[0]]}` });
    }
    if (error.children?.length) collect(error.children, path, error.value, result);
  }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function checkMetadata(resource: ResourceInfo, obj: Record<string, any>, options: ValidateOptions): StatusCause[] {
  const causes: StatusCause[] = [];
  const meta = obj.metadata;
  if (typeof meta !== 'object' || meta === null) return causes;
  if (typeof meta.name === 'string' && meta.name !== '') {
    const problems = resource.nameRule === 'label' ? isDns1123Label(meta.name) : isDns1123Subdomain(meta.name);
    for (const p of problems) causes.push({ reason: CauseReason.Invalid, field: 'metadata.name', message: `Invalid value: ${show(meta.name)}: ${p}` });
  } else if ((options.operation ?? 'create') === 'create' && !meta.generateName) {
    causes.push({ reason: CauseReason.Required, field: 'metadata.name', message: 'Required value: name or generateName is required' });
  }
  if (typeof meta.generateName === 'string' && meta.generateName !== '' && !meta.name) {
    // generateName gets a random suffix; check it as a prefix of a valid name.
    const probe = `${meta.generateName.replace(/[-.]$/, '')}x`;
    if ((resource.nameRule === 'label' ? isDns1123Label(probe) : isDns1123Subdomain(probe)).length) {
      causes.push({ reason: CauseReason.Invalid, field: 'metadata.generateName', message: `Invalid value: ${show(meta.generateName)}: a prefix of a valid name is required` });
    }
  }
  if (resource.namespaced && typeof meta.namespace === 'string' && meta.namespace !== '') {
    for (const p of isDns1123Label(meta.namespace)) causes.push({ reason: CauseReason.Invalid, field: 'metadata.namespace', message: `Invalid value: ${show(meta.namespace)}: ${p}` });
  }
  if (!resource.namespaced && meta.namespace) {
    causes.push({ reason: CauseReason.Forbidden, field: 'metadata.namespace', message: 'Forbidden: not allowed on this type' });
  }
  if (Array.isArray(meta.finalizers)) {
    const seen = new Set<string>();
    meta.finalizers.forEach((f: unknown, i: number) => {
      if (typeof f !== 'string') return;
      if (seen.has(f)) causes.push({ reason: CauseReason.Duplicate, field: `metadata.finalizers[${i}]`, message: `Duplicate value: ${show(f)}` });
      seen.add(f);
    });
  }
  const controllers = (Array.isArray(meta.ownerReferences) ? meta.ownerReferences : []).filter((r: { controller?: boolean }) => r?.controller === true);
  if (controllers.length > 1) causes.push({ reason: CauseReason.Invalid, field: 'metadata.ownerReferences', message: 'Invalid value: ownerReferences: Only one reference can have Controller set to true' });
  return causes;
}

/** class-validator over the kind's class, the reflective way (the reference for compiled.ts). */
export function reflectiveErrors(cls: ResourceInfo['cls'], plain: object): ValidationError[] {
  const instance = plainToInstance(cls, structuredClone(plain));
  return validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: false, validationError: { target: false, value: true } });
}

function classErrors(cls: ResourceInfo['cls'], plain: Record<string, unknown>): ValidationError[] {
  try {
    return validateCompiled(cls as never, plain);
  } catch (error) {
    if (error instanceof NotCompilable) return reflectiveErrors(cls, plain);
    throw error;
  }
}

/** Unknown keys in the free-form parts of the object's pod spec (lifecycle, hostAliases, os). */
function freeFormUnknownFields(kind: string, obj: Record<string, unknown>): string[] {
  return podSpecsOf(kind, obj).flatMap(({ spec, path }) => podSpecUnknownFields(spec, path));
}

/** Validates a (defaulted) object of a known kind. Never throws for bad input. */
export function validateObject(obj: unknown, options: ValidateOptions = {}): ValidationResult {
  const result: ValidationResult = { causes: [], unknownFields: [] };
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) {
    result.causes.push({ reason: CauseReason.Invalid, field: '', message: 'Invalid value: the object must be a JSON object' });
    return result;
  }
  const plain = obj as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const resource = typeof plain.kind === 'string' ? resourceForKind(plain.kind) : undefined;
  if (!resource) {
    result.causes.push({ reason: CauseReason.NotSupported, field: 'kind', message: `Unsupported value: ${show(plain.kind)}` });
    return result;
  }
  collect(classErrors(resource.cls, plain), '', plain, result);
  result.unknownFields.push(...freeFormUnknownFields(resource.kind, plain));
  if (plain.metadata === undefined) return result;
  result.causes.push(...checkMetadata(resource, plain, options));
  result.causes.push(...semanticChecks(resource.kind, plain));
  return result;
}

/** Deletes unknown fields in place (fieldValidation Ignore/Warn). */
export function pruneFields(obj: unknown, paths: string[]): void {
  for (const path of paths) {
    const parts = path.match(/[^.[\]]+/g) ?? [];
    let current: any = obj; // eslint-disable-line @typescript-eslint/no-explicit-any
    for (const part of parts.slice(0, -1)) {
      if (current === null || typeof current !== 'object') break;
      current = current[part];
    }
    if (current && typeof current === 'object') delete current[parts[parts.length - 1]];
  }
}

/**
 * Validates and decides like the API server: unknown fields are an error under Strict
 * (400 BadRequest), pruned otherwise and returned as warnings; invalid values → 422.
 * Returns the warnings to send back (Warn mode).
 */
export function assertValid(obj: KubeObject, fieldValidation: FieldValidation = 'Warn', options: ValidateOptions = {}): string[] {
  const result = validateObject(obj, options);
  const resource = resourceForKind(obj.kind ?? '');
  const kind = obj.kind ?? 'Object';
  if (result.unknownFields.length && fieldValidation === 'Strict') {
    const version = resource ? apiVersionOf(resource) : obj.apiVersion;
    const list = result.unknownFields.map((f) => `unknown field "${f}"`);
    throw badRequest(
      `${kind} in version "${version?.split('/').pop()}" cannot be handled as a ${kind}: strict decoding error: ${list.join(', ')}`,
      result.unknownFields.map((f) => ({ reason: CauseReason.Unknown, field: f, message: `unknown field "${f}"` })),
    );
  }
  if (result.causes.length) {
    throw invalid({ kind, name: obj.metadata?.name ?? obj.metadata?.generateName, resource: resource ? qualifiedResource(resource) : kind, group: resource?.group }, result.causes);
  }
  if (result.unknownFields.length) pruneFields(obj, result.unknownFields);
  return fieldValidation === 'Warn' ? result.unknownFields.map((f) => `unknown field "${f}"`) : [];
}

export { StatusError };
