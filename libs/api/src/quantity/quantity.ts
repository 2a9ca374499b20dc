// Kubernetes resource quantities (`250m`, `1.5`, `64Mi`, `1G`, `2e3`), held exactly as a
// count of nano-units in a bigint so sums and comparisons never drift. Values finer than
// 1n round up, as Kubernetes does.

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

const NANO = 1_000_000_000n;

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
/** Decimal suffixes as powers of ten. */
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

// sign, digits with optional fraction, then one of: binary suffix, decimal suffix, e/E exponent.
const QUANTITY_RE = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE]|[eE][+-]?\d+)?$/;

export class Quantity {
  private constructor(
    /** The value in units of 1e-9. */
    readonly nanos: bigint,
    readonly format: QuantityFormat,
  ) {}

  static fromNanos(nanos: bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(nanos, format);
  }
  static fromMillis(millis: number | bigint): Quantity {
    return new Quantity(BigInt(millis) * 1_000_000n, 'DecimalSI');
  }
  static fromInt(value: number | bigint, format: QuantityFormat = 'DecimalSI'): Quantity {
    return new Quantity(BigInt(value) * NANO, format);
  }

  /** Parses a quantity string; undefined when it is not one. */
  static tryParse(text: string): Quantity | undefined {
    if (typeof text !== 'string' || text.length === 0 || text.length > 64) return undefined;
    const match = QUANTITY_RE.exec(text.trim() === text ? text : '');
    if (!match) return undefined;
    const [, sign, number, suffix = ''] = match;
    const [whole, fraction = ''] = number.split('.');
    const digits = BigInt((whole || '0') + fraction);
    let exponent10 = -fraction.length;
    let multiplier = 1n;
    let format: QuantityFormat = 'DecimalSI';
    if (suffix in BINARY) {
      multiplier = BINARY[suffix];
      format = 'BinarySI';
    } else if (suffix in DECIMAL) {
      exponent10 += DECIMAL[suffix];
    } else {
      const exponent = Number(suffix.slice(1));
      if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 60) return undefined;
      exponent10 += exponent;
      format = 'DecimalExponent';
    }
    // value = digits * multiplier * 10^exponent10; in nanos shift by 9 more.
    const shift = exponent10 + 9;
    let nanos: bigint;
    if (shift >= 0) nanos = digits * multiplier * 10n ** BigInt(shift);
    else {
      const divisor = 10n ** BigInt(-shift);
      const scaled = digits * multiplier;
      nanos = scaled / divisor + (scaled % divisor === 0n ? 0n : 1n);
    }
    if (sign === '-') nanos = -nanos;
    return new Quantity(nanos, format);
  }

  static parse(text: string): Quantity {
    const parsed = Quantity.tryParse(text);
    if (!parsed) throw new Error(`quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`);
    return parsed;
  }

  /** Whole millis, rounded up (what a CPU request of `0.0001` costs). */
  get millis(): bigint {
    return ceilDiv(this.nanos, 1_000_000n);
  }
  /** Whole units, rounded up (bytes for memory). */
  get value(): bigint {
    return ceilDiv(this.nanos, NANO);
  }

  add(other: Quantity): Quantity {
    return new Quantity(this.nanos + other.nanos, this.format);
  }
  sub(other: Quantity): Quantity {
    return new Quantity(this.nanos - other.nanos, this.format);
  }
  mul(factor: number | bigint): Quantity {
    return new Quantity(this.nanos * BigInt(factor), this.format);
  }
  cmp(other: Quantity): -1 | 0 | 1 {
    return this.nanos < other.nanos ? -1 : this.nanos > other.nanos ? 1 : 0;
  }
  isZero(): boolean {
    return this.nanos === 0n;
  }
  sign(): -1 | 0 | 1 {
    return this.nanos < 0n ? -1 : this.nanos > 0n ? 1 : 0;
  }

  /** Canonical text, as Kubernetes serialises it (`1.5` → `1500m`, `2048Ki` → `2Mi`). */
  toString(): string {
    return formatNanos(this.nanos, this.format);
  }
  toJSON(): string {
    return this.toString();
  }
}

function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a > 0n ? q + 1n : q;
}

function formatNanos(nanos: bigint, format: QuantityFormat): string {
  if (nanos === 0n) return '0';
  const sign = nanos < 0n ? '-' : '';
  const abs = nanos < 0n ? -nanos : nanos;
  if (format === 'BinarySI' && abs % NANO === 0n) {
    const units = abs / NANO;
    // Binary only when it divides by 1024 exactly; otherwise fall back to decimal (as k8s does).
    if (units % 1024n === 0n || units < 1024n) {
      let suffix = '';
      let value = units;
      for (const candidate of ['Ki', 'Mi', 'Gi', 'Ti', 'Pi', 'Ei']) {
        if (value % 1024n !== 0n) break;
        value /= 1024n;
        suffix = candidate;
      }
      return `${sign}${value}${suffix}`;
    }
  }
  // Largest power of ten (multiple of 3) that divides the value exactly.
  let exponent = -9;
  let value = abs;
  while (exponent < 18 && value % 1000n === 0n) {
    value /= 1000n;
    exponent += 3;
  }
  if (format === 'DecimalExponent') return `${sign}${value}${exponent === 0 ? '' : `e${exponent}`}`;
  const suffix = Object.entries(DECIMAL).find(([, e]) => e === exponent)?.[0] ?? '';
  return `${sign}${value}${suffix}`;
}

export function isQuantity(text: unknown): boolean {
  return typeof text === 'string' && Quantity.tryParse(text) !== undefined;
}

/** Parses a quantity string or number (JSON may carry `cpu: 2`). */
export function toQuantity(value: string | number | Quantity): Quantity {
  if (value instanceof Quantity) return value;
  return Quantity.parse(typeof value === 'number' ? String(value) : value);
}

/** CPU in millicores, rounded up; 0 when absent. */
export function cpuMillis(value: string | number | Quantity | undefined): number {
  return value === undefined ? 0 : Number(toQuantity(value).millis);
}

/** Memory (or any integer resource) in whole units, rounded up; 0 when absent. */
export function memoryBytes(value: string | number | Quantity | undefined): number {
  return value === undefined ? 0 : Number(toQuantity(value).value);
}

export function formatCpuMillis(millis: number): string {
  return Quantity.fromMillis(millis).toString();
}

export function formatBytes(bytes: number): string {
  return Quantity.fromInt(bytes, 'BinarySI').toString();
}

/** Adds two resource lists (`{cpu, memory, pods}`) exactly. */
export function addResourceLists(a: Record<string, string> = {}, b: Record<string, string> = {}): Record<string, string> {
  const out: Record<string, string> = { ...a };
  for (const [name, value] of Object.entries(b)) {
    out[name] = name in a ? toQuantity(a[name]).add(toQuantity(value)).toString() : toQuantity(value).toString();
  }
  return out;
}
