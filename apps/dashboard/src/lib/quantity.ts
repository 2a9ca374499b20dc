// Kubernetes resource quantities (`250m`, `1.5`, `64Mi`, `1G`, `12e6`) to numbers, and back
// to short human text. CPU is counted in cores, memory in bytes.
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
/** Powers of ten; negative ones divide, which keeps `1900m` exactly 1.9. */
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

/** The value of a quantity; NaN when it is not one. Numbers pass through. */
export function parseQuantity(input: string | number | undefined | null): number {
  if (typeof input === 'number') return input;
  if (input === undefined || input === null) return NaN;
  const match = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/.exec(input.trim());
  if (!match) return NaN;
  const base = Number(match[1]);
  if (match[2]) return base * 10 ** Number(match[2].slice(1));
  const suffix = match[3] ?? '';
  if (BINARY[suffix]) return base * BINARY[suffix];
  const exp = DECIMAL[suffix];
  return exp < 0 ? base / 10 ** -exp : base * 10 ** exp;
}

/** Like parseQuantity, but 0 for absent or malformed values (sums of requests). */
export const quantityOrZero = (input: string | number | undefined | null) => {
  const n = parseQuantity(input);
  return Number.isFinite(n) ? n : 0;
};

const trim = (n: number, digits: number) => String(Number(n.toFixed(digits)));

/** Cores → `250m` below one core, `1.5` above. */
export function formatCpu(cores: number): string {
  if (!Number.isFinite(cores)) return '–';
  // Round to millicores first so sums like 10 × 100m (0.9999…) read as 1.
  const milli = Math.round(cores * 1000);
  if (milli === 0) return '0';
  if (Math.abs(milli) < 1000) return `${milli}m`;
  return trim(milli / 1000, 2);
}

/** Bytes → `512Ki`, `64Mi`, `1.5Gi`. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return '–';
  if (bytes === 0) return '0';
  const units = ['', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${trim(value, value >= 100 ? 0 : 1)}${units[unit]}`;
}

/** 0..1 share, guarded against zero or unknown capacity. */
export function ratio(used: number, capacity: number): number {
  if (!Number.isFinite(used) || !Number.isFinite(capacity) || capacity <= 0) return 0;
  return Math.max(0, used / capacity);
}
