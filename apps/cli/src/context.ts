// What a running command can reach: parsed flags, the kubeconfig-selected client and
// namespace (built lazily, so `config` and `--help` never touch the network), and the IO edges.
import type { KubeClient, KubeconfigClient, LoadedKubeconfig } from '@coxswain/client';
import type { ResourceMapper } from './resources/mapper';
import { Io } from './io';
import { ParsedArgs } from './cli/spec';

// Loaded on first use: --help, completion scripts and `version --client` never pay for the
// HTTP client and the API types.
/* eslint-disable @typescript-eslint/no-require-imports */
const clientLib = () => require('./client-lib') as typeof import('./client-lib');
const mapperLib = () => require('./resources/mapper') as typeof import('./resources/mapper');
/* eslint-enable @typescript-eslint/no-require-imports */

export const CLI_VERSION = '0.1.0';

export class CommandContext {
  private kubeCache?: KubeconfigClient;
  private mapperCache?: ResourceMapper;

  constructor(
    readonly io: Io,
    readonly parsed: ParsedArgs,
    /** e.g. ['rollout', 'status'] */
    readonly commandPath: string[],
  ) {}

  get flags(): ParsedArgs['flags'] {
    return this.parsed.flags;
  }

  str(name: string): string {
    const v = this.parsed.flags[name];
    return v === undefined || v === null ? '' : String(v);
  }

  bool(name: string): boolean {
    return this.parsed.flags[name] === true;
  }

  int(name: string): number {
    return Number(this.parsed.flags[name] ?? 0);
  }

  strs(name: string): string[] {
    const v = this.parsed.flags[name];
    return Array.isArray(v) ? v : v ? [String(v)] : [];
  }

  given(name: string): boolean {
    return this.parsed.given.has(name);
  }

  now(): Date {
    return this.io.now();
  }

  out(text: string): void {
    this.io.stdout.write(text);
  }

  err(text: string): void {
    this.io.stderr.write(text);
  }

  /** Colours only on a terminal, and never with NO_COLOR set. */
  get color(): boolean {
    return !!this.io.stdout.isTTY && !this.io.env.NO_COLOR && this.io.env.TERM !== 'dumb';
  }

  loadKubeconfig(): LoadedKubeconfig {
    return clientLib().loadKubeconfig({ path: this.str('kubeconfig') || undefined, env: this.io.env });
  }

  kube(): KubeconfigClient {
    if (!this.kubeCache) {
      const timeout = parseDurationMs(this.str('request-timeout'));
      this.kubeCache = clientLib().clientFromKubeconfig({
        path: this.str('kubeconfig') || undefined,
        env: this.io.env,
        context: this.str('context') || undefined,
        cluster: this.str('cluster') || undefined,
        user: this.str('user') || undefined,
        namespace: this.str('namespace') || undefined,
        server: this.str('server') || undefined,
        token: this.str('token') || undefined,
        insecureSkipTlsVerify: this.bool('insecure-skip-tls-verify') || undefined,
        client: { userAgent: `coxctl/${CLI_VERSION}`, maxRetries: 1, ...(timeout ? { timeoutMs: timeout } : {}) },
      });
    }
    return this.kubeCache;
  }

  get client(): KubeClient {
    return this.kube().client;
  }

  /** -n, else the context's namespace, else "default". */
  get namespace(): string {
    return this.str('namespace') || this.kube().namespace;
  }

  get namespaceGiven(): boolean {
    return !!this.str('namespace');
  }

  get mapper(): ResourceMapper {
    this.mapperCache ??= new (mapperLib().ResourceMapper)(() => this.client);
    return this.mapperCache;
  }

  async close(): Promise<void> {
    await this.kubeCache?.client.destroy();
  }
}

/** Go durations as kubectl flags take them: 30s, 1m30s, 2h, 500ms; a bare number is seconds. */
export function parseDurationMs(text: string): number {
  if (!text || text === '0') return 0;
  if (/^\d+(\.\d+)?$/.test(text)) return Number(text) * 1000;
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  let total = 0;
  let consumed = 0;
  for (const m of text.matchAll(re)) {
    total += Number(m[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h'];
    consumed += m[0].length;
  }
  if (consumed !== text.length) throw new Error(`invalid duration "${text}"`);
  return total;
}
