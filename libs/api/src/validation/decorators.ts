// Small decorator vocabulary over class-validator so every field reads as one line and every
// failure maps to a Kubernetes field-error reason. A constraint's name starts with the
// reason it reports (`Invalid`, `Required`, `NotSupported`); its message is the text that
// follows `Invalid value: <value>:` in Kubernetes' wording.
import 'reflect-metadata';
import { Type } from 'class-transformer';
import { Allow, IsOptional, ValidateBy, ValidateNested, ValidationArguments, ValidationOptions } from 'class-validator';
import { isQuantity } from '../quantity/quantity';
import { isDns1123Label, isDns1123Subdomain, isLabelValue, isPortName, isQualifiedName } from './names';

type Decorator = PropertyDecorator;

function compose(...decorators: Decorator[]): Decorator {
  return (target, key) => decorators.forEach((d) => d(target, key));
}

function rule(name: string, check: (value: unknown) => boolean, message: string | ((args: ValidationArguments) => string), options?: ValidationOptions): Decorator {
  return ValidateBy({ name, validator: { validate: (value) => check(value), defaultMessage: typeof message === 'string' ? () => message : message } }, options);
}

/** Optional field: skipped when null/undefined. */
export const Opt = (...decorators: Decorator[]): Decorator => compose(IsOptional(), ...decorators);

/** Required field: absent, null or '' is "Required value". */
export const Req = (...decorators: Decorator[]): Decorator =>
  compose(rule('Required', (v) => v !== undefined && v !== null && v !== '', 'Required value', { always: true }), ...decorators);

/** Any value; the field is known (not pruned) but not checked. */
export const AnyValue = (): Decorator => Allow();

export const Str = (): Decorator => rule('Invalid:string', (v) => typeof v === 'string', 'must be a string');
export const Bool = (): Decorator => rule('Invalid:boolean', (v) => typeof v === 'boolean', 'must be a boolean');

export const Int = (min?: number, max?: number): Decorator =>
  rule(
    'Invalid:int',
    (v) => Number.isSafeInteger(v) && (min === undefined || (v as number) >= min) && (max === undefined || (v as number) <= max),
    (args) => {
      const v = args.value;
      if (!Number.isSafeInteger(v)) return 'must be an integer';
      if (min !== undefined && v < min) return min === 0 ? 'must be greater than or equal to 0' : `must be greater than or equal to ${min}`;
      return `must be less than or equal to ${max}`;
    },
  );

export const OneOf = (values: readonly string[]): Decorator =>
  rule('NotSupported', (v) => typeof v === 'string' && values.includes(v), `supported values: ${values.map((v) => `"${v}"`).join(', ')}`);

export const StrArray = (): Decorator =>
  rule('Invalid:stringArray', (v) => Array.isArray(v) && v.every((s) => typeof s === 'string'), 'must be a list of strings');

export const DnsLabel = (): Decorator =>
  rule('Invalid:dnsLabel', (v) => typeof v === 'string' && isDns1123Label(v).length === 0, (args) =>
    typeof args.value === 'string' ? isDns1123Label(args.value).join(', ') : 'must be a string',
  );

export const DnsSubdomain = (): Decorator =>
  rule('Invalid:dnsSubdomain', (v) => typeof v === 'string' && isDns1123Subdomain(v).length === 0, (args) =>
    typeof args.value === 'string' ? isDns1123Subdomain(args.value).join(', ') : 'must be a string',
  );

export const QualifiedName = (): Decorator =>
  rule('Invalid:qualifiedName', (v) => typeof v === 'string' && isQualifiedName(v).length === 0, (args) =>
    typeof args.value === 'string' ? isQualifiedName(args.value).join(', ') : 'must be a string',
  );

export const PortNumber = (): Decorator => Int(1, 65535);

export const PortName = (): Decorator =>
  rule('Invalid:portName', (v) => typeof v === 'string' && isPortName(v).length === 0, (args) =>
    typeof args.value === 'string' ? isPortName(args.value).join(', ') : 'must be a string',
  );

/** A port given as number or IANA name (probes' `port`). */
export const IntOrPortName = (): Decorator =>
  rule(
    'Invalid:intOrString',
    (v) => (typeof v === 'number' ? Number.isInteger(v) && v >= 1 && v <= 65535 : typeof v === 'string' && isPortName(v).length === 0),
    'must be a port number between 1 and 65535 or a valid port name',
  );

/** An int or a percentage (`maxSurge: 25%`). */
export const IntOrPercent = (): Decorator =>
  rule(
    'Invalid:intOrPercent',
    (v) => (typeof v === 'number' ? Number.isInteger(v) && v >= 0 : typeof v === 'string' && /^\d+%$/.test(v)),
    "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%'), or a non-negative integer",
  );

const QUANTITY_MESSAGE = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

/** A quantity string (or number, which JSON allows for `cpu: 2`). */
export const QuantityValue = (): Decorator =>
  rule('Invalid:quantity', (v) => (typeof v === 'number' && Number.isFinite(v)) || isQuantity(v), QUANTITY_MESSAGE);

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** `requests` / `limits`: resource names to non-negative quantities. */
export const QuantityMap = (): Decorator =>
  rule(
    'Invalid:quantityMap',
    (v) =>
      isPlainObject(v) &&
      Object.entries(v).every(([key, q]) => isQualifiedName(key).length === 0 && ((typeof q === 'number' && q >= 0) || (isQuantity(q) && !String(q).startsWith('-')))),
    (args) => {
      if (!isPlainObject(args.value)) return 'must be a map of resource names to quantities';
      for (const [key, q] of Object.entries(args.value)) {
        if (isQualifiedName(key).length) return `invalid resource name "${key}": ${isQualifiedName(key).join(', ')}`;
        if (!(typeof q === 'number' || isQuantity(q))) return `${key}: ${QUANTITY_MESSAGE}`;
        if (String(q).startsWith('-')) return `${key}: must be greater than or equal to 0`;
      }
      return 'invalid';
    },
  );

/** Labels (and nodeSelector): qualified-name keys to label values. */
export const LabelMap = (): Decorator =>
  rule(
    'Invalid:labels',
    (v) => isPlainObject(v) && Object.entries(v).every(([key, value]) => isQualifiedName(key).length === 0 && typeof value === 'string' && isLabelValue(value).length === 0),
    (args) => {
      if (!isPlainObject(args.value)) return 'must be a map of string keys to string values';
      for (const [key, value] of Object.entries(args.value)) {
        if (isQualifiedName(key).length) return `label key "${key}": ${isQualifiedName(key).join(', ')}`;
        if (typeof value !== 'string') return `label "${key}": value must be a string`;
        if (isLabelValue(value).length) return `label "${key}": ${isLabelValue(value).join(', ')}`;
      }
      return 'invalid';
    },
  );

const ANNOTATIONS_LIMIT = 256 * 1024;

/** Annotations: qualified-name keys, string values, 256 KiB in total. */
export const AnnotationMap = (): Decorator =>
  rule(
    'Invalid:annotations',
    (v) =>
      isPlainObject(v) &&
      Object.entries(v).every(([key, value]) => isQualifiedName(key).length === 0 && typeof value === 'string') &&
      Object.entries(v).reduce((n, [k, s]) => n + k.length + String(s).length, 0) <= ANNOTATIONS_LIMIT,
    (args) => {
      if (!isPlainObject(args.value)) return 'must be a map of string keys to string values';
      for (const [key, value] of Object.entries(args.value)) {
        if (isQualifiedName(key).length) return `annotation key "${key}": ${isQualifiedName(key).join(', ')}`;
        if (typeof value !== 'string') return `annotation "${key}": value must be a string`;
      }
      return `may not be more than ${ANNOTATIONS_LIMIT} bytes`;
    },
  );

/** A nested object validated by its own class. */
export const Nested = (cls: () => new () => object): Decorator =>
  compose(
    rule('Invalid:object', (v) => isPlainObject(v), 'must be an object'),
    ValidateNested(),
    Type(cls) as Decorator,
  );

/** A list of nested objects. */
export const NestedList = (cls: () => new () => object): Decorator =>
  compose(
    rule('Invalid:list', (v) => Array.isArray(v) && v.every(isPlainObject), 'must be a list of objects'),
    ValidateNested({ each: true }),
    Type(cls) as Decorator,
  );

/** A free-form object (known field, contents not checked). */
export const FreeObject = (): Decorator => rule('Invalid:object', (v) => isPlainObject(v), 'must be an object');
