// /livez and /readyz like Kubernetes' healthz package: named checks, each bounded by a timeout
// (a frozen etcd must make readyz fail within seconds, not hang), `?verbose` lists every check,
// `?exclude=NAME` skips one, `/readyz/NAME` runs one. A failure answers 500 with the list.

export interface HealthCheck {
  name: string;
  /** Resolves when healthy; rejects (or times out) when not. */
  check(): Promise<void> | void;
}

export interface HealthReport {
  code: number;
  body: string;
}

/** Kubernetes' etcd health check gives up after 2 s. */
export const CHECK_TIMEOUT_MS = 2000;

function withTimeout(work: Promise<void> | void, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms}ms`)), ms);
  });
  return Promise.race([Promise.resolve(work), timeout]).finally(() => clearTimeout(timer));
}

/**
 * Runs `checks` (all of them, or only `only`), minus `exclude`. Failure reasons are shown only
 * with verbose, as Kubernetes withholds them from unauthenticated callers otherwise.
 */
export async function runHealthChecks(
  endpoint: 'livez' | 'readyz',
  checks: HealthCheck[],
  options: { verbose?: boolean; exclude?: string[]; only?: string; timeoutMs?: number } = {},
): Promise<HealthReport> {
  const selected = options.only ? checks.filter((c) => c.name === options.only) : checks.filter((c) => !options.exclude?.includes(c.name));
  if (options.only && selected.length === 0) return { code: 404, body: `404 page not found\n` };
  const results = await Promise.all(
    selected.map(async (c) => {
      try {
        await withTimeout(c.check(), options.timeoutMs ?? CHECK_TIMEOUT_MS);
        return { name: c.name, error: undefined as string | undefined };
      } catch (error) {
        return { name: c.name, error: (error as Error).message || 'failed' };
      }
    }),
  );
  const failed = results.some((r) => r.error !== undefined);
  if (options.only) {
    const [r] = results;
    return r.error === undefined ? { code: 200, body: 'ok' } : { code: 500, body: `internal server error: ${r.error}\n` };
  }
  if (!failed && !options.verbose) return { code: 200, body: 'ok' };
  const lines = results.map((r) => (r.error === undefined ? `[+]${r.name} ok` : `[-]${r.name} failed: ${options.verbose ? r.error : 'reason withheld'}`));
  for (const name of options.exclude ?? []) if (checks.some((c) => c.name === name)) lines.push(`[+]${name} excluded: ok`);
  lines.push(failed ? `${endpoint} check failed` : `${endpoint} check passed`);
  return { code: failed ? 500 : 200, body: `${lines.join('\n')}\n` };
}
