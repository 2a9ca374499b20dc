// coxctl logs: GET pods/{name}/log (streamed with -f) for one container, every container
// (--all-containers) or every pod a selector matches (-l, with [pod/name/container] prefixes).
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext, parseDurationMs } from '../context';
import { CliError } from '../errors';
import { Obj } from '../types';
import { chooseContainer, PODS, resolvePod } from './pods';

export interface LogOptions {
  container: string;
  follow: boolean;
  previous: boolean;
  tailLines?: number;
  sinceSeconds?: number;
  sinceTime?: string;
  timestamps: boolean;
  limitBytes?: number;
}

/** The pods/log query kubectl sends. */
export function logQuery(o: LogOptions): Record<string, string | number | boolean | undefined> {
  return {
    container: o.container,
    follow: o.follow || undefined,
    previous: o.previous || undefined,
    tailLines: o.tailLines,
    sinceSeconds: o.sinceSeconds,
    sinceTime: o.sinceTime,
    timestamps: o.timestamps || undefined,
    limitBytes: o.limitBytes,
  };
}

/** Splits a byte stream into lines, each prefixed (the last partial line waits for more). */
export function linePrefixer(prefix: string, write: (text: string) => void): { push(chunk: string): void; end(): void } {
  let pending = '';
  return {
    push(chunk) {
      const parts = (pending + chunk).split('\n');
      pending = parts.pop()!;
      for (const line of parts) write(`${prefix}${line}\n`);
    },
    end() {
      if (pending) write(`${prefix}${pending}\n`);
      pending = '';
    },
  };
}

function options(ctx: CommandContext, container: string): LogOptions {
  if (ctx.given('since') && ctx.given('since-time')) throw new UsageError('at most one of `sinceTime` or `sinceSeconds` may be specified', ctx.commandPath);
  const since = ctx.str('since');
  const tail = ctx.int('tail');
  return {
    container,
    follow: ctx.bool('follow'),
    previous: ctx.bool('previous'),
    tailLines: tail >= 0 ? tail : undefined,
    sinceSeconds: since ? Math.max(1, Math.ceil(parseDurationMs(since) / 1000)) : undefined,
    sinceTime: ctx.str('since-time') || undefined,
    timestamps: ctx.bool('timestamps'),
    limitBytes: ctx.int('limit-bytes') > 0 ? ctx.int('limit-bytes') : undefined,
  };
}

async function streamLog(ctx: CommandContext, pod: Obj, opts: LogOptions, prefix: string | undefined): Promise<void> {
  const path = `/api/v1/namespaces/${encodeURIComponent(pod.metadata.namespace)}/pods/${encodeURIComponent(pod.metadata.name)}/log`;
  const { body } = await ctx.client.transport.stream({ path, query: logQuery(opts), signal: ctx.io.signal });
  const decoder = new TextDecoder();
  const lines = prefix === undefined ? undefined : linePrefixer(prefix, (t) => ctx.out(t));
  try {
    for await (const chunk of body) {
      const text = decoder.decode(chunk, { stream: true });
      if (lines) lines.push(text);
      else ctx.io.stdout.write(Buffer.from(chunk));
    }
  } catch (error) {
    if (!ctx.io.signal?.aborted) throw error;
  } finally {
    lines?.end();
  }
}

export async function runLogs(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const selector = ctx.str('selector');
  let pods: Obj[];
  let requested = ctx.str('container');
  if (selector) {
    if (parsed.args.length) throw new UsageError('only a selector (-l) or a POD name is allowed', ctx.commandPath);
    pods = (await ctx.client.list<Obj>(PODS, { namespace: ctx.namespace, labelSelector: selector })).items;
    if (!pods.length) {
      ctx.err(`No resources found in ${ctx.namespace} namespace.\n`);
      return 0;
    }
  } else {
    if (!parsed.args.length || parsed.args.length > 2) throw new UsageError('expected POD or TYPE/NAME (and optionally a container)', ctx.commandPath);
    if (parsed.args[1]) {
      if (requested) throw new UsageError('only one of -c or an inline [CONTAINER] arg is allowed', ctx.commandPath);
      requested = parsed.args[1];
    }
    pods = [await resolvePod(ctx, parsed.args[0])];
  }
  const many = pods.length > 1 || ctx.bool('all-containers');
  const jobs: Array<{ pod: Obj; container: string }> = [];
  for (const pod of pods) {
    if (ctx.bool('all-containers')) {
      for (const c of [...((pod.spec?.initContainers ?? []) as Obj[]), ...((pod.spec?.containers ?? []) as Obj[])]) jobs.push({ pod, container: c.name });
    } else {
      jobs.push({ pod, container: chooseContainer(pod, requested, (t) => {
        if (!selector) ctx.err(t);
      }) });
    }
  }
  if (!jobs.length) throw new CliError('no containers to read logs from');
  const prefixFor = (j: { pod: Obj; container: string }) => (ctx.bool('prefix') || (many && selector) ? `[pod/${j.pod.metadata.name}/${j.container}] ` : undefined);
  if (ctx.bool('follow') && jobs.length > 1) {
    await Promise.all(jobs.map((j) => streamLog(ctx, j.pod, options(ctx, j.container), prefixFor(j) ?? `[pod/${j.pod.metadata.name}/${j.container}] `)));
  } else {
    for (const j of jobs) await streamLog(ctx, j.pod, options(ctx, j.container), prefixFor(j));
  }
  return 0;
}
