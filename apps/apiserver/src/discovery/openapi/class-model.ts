// Reads what libs/api's decorators recorded about a class (class-validator constraints,
// class-transformer @Type targets, TypeScript design types) and turns each property into a
// schema-neutral shape. The decorator vocabulary is small and named after the field-error
// reason it reports, so the constraint name says the type.
import 'reflect-metadata';
import { getMetadataStorage } from 'class-validator';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Class = abstract new (...args: any[]) => object;

export type Shape =
  | { kind: 'ref'; cls: Class }
  | { kind: 'array'; items: Shape }
  | { kind: 'map'; values: Shape }
  | { kind: 'string'; enum?: string[] }
  | { kind: 'integer' }
  | { kind: 'number' }
  | { kind: 'boolean' }
  /** An int or a string (ports by name, `25%`). */
  | { kind: 'intOrString' }
  /** A resource quantity: `250m`, `64Mi`, or a plain number. */
  | { kind: 'quantity' }
  /** An object whose fields are not checked. */
  | { kind: 'object' }
  /** Any JSON value, not checked. */
  | { kind: 'any' };

export interface PropertyModel {
  name: string;
  shape: Shape;
  required: boolean;
}

export interface ClassModel {
  properties: PropertyModel[];
  /** Constraint names this module does not know; they fall back to `any`. */
  unknownConstraints: string[];
}

const STRING: Shape = { kind: 'string' };

/** Decorators in libs/api/src/validation/decorators.ts, by the constraint name they register. */
const BY_CONSTRAINT: Record<string, Shape> = {
  'Invalid:string': STRING,
  'Invalid:dnsLabel': STRING,
  'Invalid:dnsSubdomain': STRING,
  'Invalid:qualifiedName': STRING,
  'Invalid:portName': STRING,
  'Invalid:boolean': { kind: 'boolean' },
  'Invalid:int': { kind: 'integer' },
  'Invalid:stringArray': { kind: 'array', items: STRING },
  'Invalid:intOrString': { kind: 'intOrString' },
  'Invalid:intOrPercent': { kind: 'intOrString' },
  'Invalid:quantity': { kind: 'quantity' },
  'Invalid:quantityMap': { kind: 'map', values: { kind: 'quantity' } },
  'Invalid:labels': { kind: 'map', values: STRING },
  'Invalid:annotations': { kind: 'map', values: STRING },
};

/** Validation types that carry no type information of their own. */
const NEUTRAL_TYPES = new Set(['conditionalValidation', 'nestedValidation', 'whitelistValidation']);

interface Meta {
  type: string;
  name?: string;
  propertyName: string;
  constraintCls?: new () => { defaultMessage?: (args: unknown) => string };
}

/** `OneOf` keeps its values only in its message: `supported values: "Always", "Never"`. */
function enumValues(meta: Meta): string[] | undefined {
  if (!meta.constraintCls) return undefined;
  const message = new meta.constraintCls().defaultMessage?.({ value: undefined, constraints: [], targetName: '', object: {}, property: meta.propertyName });
  if (typeof message !== 'string') return undefined;
  const values = [...message.matchAll(/"([^"]*)"/g)].map((m) => m[1]);
  return values.length ? values : undefined;
}

/** What TypeScript said the property was, for fields that are only `@AnyValue()`. */
function designShape(cls: Class, property: string): Shape {
  const design = Reflect.getMetadata('design:type', cls.prototype, property);
  if (design === Array) return { kind: 'array', items: { kind: 'any' } };
  if (design === String) return STRING;
  if (design === Boolean) return { kind: 'boolean' };
  if (design === Number) return { kind: 'number' };
  return { kind: 'any' };
}

function nestedTarget(cls: Class, property: string): Class | undefined {
  const meta = defaultMetadataStorage.findTypeMetadata(cls as never, property);
  const target = meta?.typeFunction?.();
  return typeof target === 'function' ? (target as Class) : undefined;
}

function shapeOf(cls: Class, property: string, metas: Meta[], unknown: Set<string>): Shape {
  const custom = metas.filter((m) => !NEUTRAL_TYPES.has(m.type) && m.name !== 'Required');
  for (const meta of custom) {
    const name = meta.name ?? meta.type;
    if (name === 'NotSupported') return { kind: 'string', enum: enumValues(meta) };
    if (name === 'Invalid:object') {
      const target = nestedTarget(cls, property);
      return target ? { kind: 'ref', cls: target } : { kind: 'object' };
    }
    if (name === 'Invalid:list') {
      const target = nestedTarget(cls, property);
      return { kind: 'array', items: target ? { kind: 'ref', cls: target } : { kind: 'any' } };
    }
    if (BY_CONSTRAINT[name]) return BY_CONSTRAINT[name];
    unknown.add(name);
  }
  return designShape(cls, property);
}

const memo = new Map<Class, ClassModel>();

/** The properties of a class, in declaration order (inherited ones after, as class-validator lists them). */
export function classModel(cls: Class): ClassModel {
  const hit = memo.get(cls);
  if (hit) return hit;
  const metas = getMetadataStorage().getTargetValidationMetadatas(cls as never, '', false, false, undefined) as unknown as Meta[];
  const byProperty = new Map<string, Meta[]>();
  for (const meta of metas) {
    if (!byProperty.has(meta.propertyName)) byProperty.set(meta.propertyName, []);
    byProperty.get(meta.propertyName)!.push(meta);
  }
  const unknown = new Set<string>();
  const properties = [...byProperty.entries()].map(([name, list]) => ({
    name,
    shape: shapeOf(cls, name, list, unknown),
    required: list.some((m) => m.name === 'Required'),
  }));
  const model = { properties, unknownConstraints: [...unknown] };
  memo.set(cls, model);
  return model;
}
