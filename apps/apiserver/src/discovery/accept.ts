// Accept-header parsing for the content negotiations Kubernetes clients rely on: aggregated
// discovery (`;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList`) and server-side tables
// (`;as=Table;v=v1;g=meta.k8s.io`).

export interface MediaRange {
  type: string;
  subtype: string;
  /** Parameters other than q; names lower-cased, values as sent (`as=Table` is case-sensitive). */
  params: Record<string, string>;
  q: number;
}

function unquote(value: string): string {
  const v = value.trim();
  return v.length >= 2 && v.startsWith('"') && v.endsWith('"') ? v.slice(1, -1) : v;
}

/** Media ranges by preference: q descending, then the order sent. q=0 ranges are dropped. */
export function parseAccept(header: string | undefined): MediaRange[] {
  if (header === undefined || header.trim() === '') return [{ type: '*', subtype: '*', params: {}, q: 1 }];
  const ranges: Array<MediaRange & { index: number }> = [];
  header.split(',').forEach((part, index) => {
    const [mediaType, ...rawParams] = part.split(';');
    const [type, subtype] = mediaType.trim().toLowerCase().split('/');
    if (!type || !subtype) return;
    const params: Record<string, string> = {};
    let q = 1;
    for (const raw of rawParams) {
      const eq = raw.indexOf('=');
      if (eq < 0) continue;
      const name = raw.slice(0, eq).trim().toLowerCase();
      const value = unquote(raw.slice(eq + 1));
      if (name === 'q') q = Number.isFinite(Number(value)) ? Number(value) : 0;
      else params[name] = value;
    }
    if (q > 0) ranges.push({ type, subtype, params, q, index });
  });
  return ranges.sort((a, b) => b.q - a.q || a.index - b.index).map(({ type, subtype, params, q }) => ({ type, subtype, params, q }));
}

/** Does this range accept plain JSON (no conversion parameters)? */
export function acceptsPlainJson(range: MediaRange): boolean {
  if (range.params.as || range.params.g || range.params.v) return false;
  return (range.type === 'application' && (range.subtype === 'json' || range.subtype === '*')) || (range.type === '*' && range.subtype === '*');
}

export function isJsonRange(range: MediaRange): boolean {
  return range.type === 'application' && range.subtype === 'json';
}

export interface TableNegotiation {
  /** meta.k8s.io version of the Table kind the client asked for. */
  version: 'v1' | 'v1beta1';
}

/**
 * Whether to answer a GET with a Table (kubectl get sends
 * `application/json;as=Table;v=v1;g=meta.k8s.io,…,application/json`). Undefined: plain JSON.
 */
export function negotiateTable(accept: string | undefined): TableNegotiation | undefined {
  for (const range of parseAccept(accept)) {
    if (isJsonRange(range) && range.params.as === 'Table' && range.params.g === 'meta.k8s.io' && (range.params.v === 'v1' || range.params.v === 'v1beta1')) {
      return { version: range.params.v };
    }
    if (acceptsPlainJson(range)) return undefined;
  }
  return undefined;
}
