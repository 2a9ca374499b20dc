// class-validator's rules, compiled once per class. The decorated classes stay the source of
// truth: this reads the metadata they registered (constraints, optional markers, @Allow,
// nested targets) and replays class-validator's algorithm over the plain object, without
// plainToInstance, a deep clone, or the metadata search class-validator repeats on every
// nested object of every request (a third of a create's CPU before). Same errors, same order:
// validate.spec.ts checks both paths agree on every fixture and on random objects.
import 'reflect-metadata';
import { getMetadataStorage, ValidationArguments, ValidationError } from 'class-validator';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { ValidationUtils } from 'class-validator/cjs/validation/ValidationUtils';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Class = new (...args: any[]) => object;
type Plain = Record<string, unknown>;

interface Meta {
  type: string;
  propertyName: string;
  each?: boolean;
  message?: unknown;
  constraints: Array<(object: unknown, value: unknown) => boolean>;
  constraintCls?: Class;
  validateIf?: unknown;
  context?: unknown;
}

interface Constraint {
  name: string;
  instance: { validate(value: unknown, args: ValidationArguments): unknown; defaultMessage?(args: ValidationArguments): string };
  async: boolean;
}

interface Rule {
  meta: Meta;
  constraints: Constraint[];
}

interface PropertyPlan {
  name: string;
  conditions: Meta[];
  rules: Rule[];
  /** The @ValidateNested metadata, if any. */
  nested?: Meta;
  /** The class nested objects of this property validate as (from class-transformer's @Type). */
  target?: () => ClassPlan | undefined;
}

interface ClassPlan {
  cls: Class;
  properties: PropertyPlan[];
  /** Properties with any metadata (whitelisted). */
  known: Set<string>;
}

/** Thrown when an input needs class-validator's own path (shapes this compiler does not replay). */
export class NotCompilable extends Error {}

const plans = new Map<Class, ClassPlan | null>();
const SUPPORTED = new Set(['customValidation', 'nestedValidation', 'conditionalValidation', 'whitelistValidation']);
/** Keys class-transformer and class-validator treat specially on an instance. */
const SPECIAL_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** The compiled plan of a class, or undefined when its metadata uses something not replayed here. */
export function planFor(cls: Class): ClassPlan | undefined {
  const hit = plans.get(cls);
  if (hit !== undefined) return hit ?? undefined;
  plans.set(cls, null); // cycles resolve lazily through `target`
  const plan = compile(cls);
  plans.set(cls, plan ?? null);
  return plan;
}

function compile(cls: Class): ClassPlan | undefined {
  const storage = getMetadataStorage();
  const metas = storage.getTargetValidationMetadatas(cls, undefined as unknown as string, false, false, undefined) as unknown as Meta[];
  if (metas.length === 0) return undefined;
  // Field initializers would put values on instances that plainToInstance validates.
  // Declared fields without metadata would be reported as unknown even when absent.
  const blank = new cls() as Plain;
  if (Object.values(blank).some((v) => v !== undefined)) return undefined;
  const grouped = new Map<string, Meta[]>();
  for (const meta of metas) {
    if (!SUPPORTED.has(meta.type) || meta.validateIf || meta.context || (meta.message && meta.type !== 'nestedValidation')) return undefined;
    if (!grouped.has(meta.propertyName)) grouped.set(meta.propertyName, []);
    grouped.get(meta.propertyName)!.push(meta);
  }
  const properties: PropertyPlan[] = [];
  for (const [name, list] of grouped) {
    const rules: Rule[] = [];
    for (const meta of list.filter((m) => m.type === 'customValidation')) {
      const constraints = storage.getTargetValidatorConstraints(meta.constraintCls!) as unknown as Constraint[];
      if (constraints.some((c) => c.async)) return undefined;
      rules.push({ meta, constraints });
    }
    const nestedMetas = list.filter((m) => m.type === 'nestedValidation');
    if (nestedMetas.length > 1) return undefined;
    const typeMeta = defaultMetadataStorage.findTypeMetadata(cls, name);
    if (typeMeta && (typeMeta.options?.discriminator || typeMeta.options?.keepDiscriminatorProperty)) return undefined;
    let target: (() => ClassPlan | undefined) | undefined;
    if (typeMeta) {
      const typeFunction = typeMeta.typeFunction;
      target = () => {
        const t = typeFunction() as unknown;
        if (typeof t !== 'function') throw new NotCompilable(`@Type of ${cls.name}.${name}`);
        const plan = planFor(t as Class);
        if (!plan) throw new NotCompilable(`class ${(t as Class).name}`);
        return plan;
      };
    }
    properties.push({ name, conditions: list.filter((m) => m.type === 'conditionalValidation'), rules, nested: nestedMetas[0], target });
  }
  if (Object.keys(blank).some((key) => !grouped.has(key))) return undefined;
  return { cls, properties, known: new Set(grouped.keys()) };
}

/**
 * What one property's checks found. Most properties of a valid object find nothing, so the
 * ValidationError (and its arrays) is only built for those that do.
 */
interface Found {
  constraints?: Record<string, string>;
  children?: ValidationError[];
}

/** The error class-validator reports for a property that found something (stripEmptyErrors applied). */
function errorOf(property: string, value: unknown, found: Found): ValidationError {
  const e = new ValidationError();
  e.value = value;
  e.property = property;
  e.children = found.children ?? [];
  if (found.constraints) e.constraints = found.constraints;
  return e;
}

function execute(obj: Plain, plan: ClassPlan, errors: ValidationError[]): void {
  for (const key of Object.keys(obj)) {
    if (plan.known.has(key)) continue;
    if (SPECIAL_KEYS.has(key)) throw new NotCompilable(`key ${key}`);
    const e = errorOf(key, obj[key], { constraints: { whitelistValidation: `property ${key} should not exist` } });
    e.children = undefined;
    errors.push(e);
  }
  for (const property of plan.properties) {
    const value = obj[property.name];
    if (!property.conditions.every((m) => m.constraints[0](obj, value))) continue;
    const found: Found = {};
    for (const rule of property.rules) custom(obj, plan.cls, value, rule, found);
    if (property.nested) nested(obj, value, property, found);
    if (found.constraints || found.children) errors.push(errorOf(property.name, value, found));
  }
}

function custom(obj: Plain, cls: Class, value: unknown, rule: Rule, found: Found): void {
  const args: ValidationArguments = { targetName: cls.name, property: rule.meta.propertyName, object: obj, value, constraints: rule.meta.constraints };
  for (const constraint of rule.constraints) {
    const valid = rule.meta.each && (Array.isArray(value) || value instanceof Set || value instanceof Map)
      ? [...(value instanceof Map ? value.values() : (value as Iterable<unknown>))].map((v) => constraint.instance.validate(v, args)).every(Boolean)
      : constraint.instance.validate(value, args);
    if (valid) continue;
    const message = constraint.instance.defaultMessage instanceof Function ? constraint.instance.defaultMessage(args) : '';
    (found.constraints ??= {})[constraint.name || rule.meta.type] = ValidationUtils.replaceMessageSpecialTokens(message, args);
  }
}

function nested(obj: unknown, value: unknown, property: PropertyPlan, found: Found): void {
  if (value === undefined) return;
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      const child: Found = {};
      nested(value, item, property, child);
      if (child.constraints || child.children) (found.children ??= []).push(errorOf(String(index), item, child));
    });
  } else if (typeof value === 'object' && value !== null) {
    // (`instanceof Object` after plainToInstance; typeof also holds for objects from another realm)
    const plan = property.target?.();
    // A nested object without a @Type target stays a plain Object: class-validator finds no
    // metadata for it and (forbidUnknownValues off) reports nothing.
    if (!plan) return;
    const children: ValidationError[] = [];
    execute(value as Plain, plan, children);
    if (children.length) found.children = [...(found.children ?? []), ...children];
  } else {
    const meta = property.nested!;
    const args: ValidationArguments = { targetName: (obj as object)?.constructor?.name, property: meta.propertyName, object: obj as object, value, constraints: meta.constraints };
    const message = typeof meta.message === 'function' ? (meta.message as (a: ValidationArguments) => string)(args) : String(meta.message ?? '');
    (found.constraints ??= {})[meta.type] = ValidationUtils.replaceMessageSpecialTokens(message, args);
  }
}

/**
 * class-validator's `validateSync(plainToInstance(cls, obj), { whitelist, forbidNonWhitelisted,
 * forbidUnknownValues: false, validationError: { target: false, value: true } })`, compiled.
 * Throws NotCompilable when the class or the input needs the reflective path.
 */
export function validateCompiled(cls: Class, obj: Plain): ValidationError[] {
  const plan = planFor(cls);
  if (!plan) throw new NotCompilable(`class ${cls.name}`);
  const errors: ValidationError[] = [];
  execute(obj, plan, errors);
  return errors;
}
