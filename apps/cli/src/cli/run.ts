// One coxctl invocation: parse, dispatch, print errors kubectl's way, return the exit code.
import { CommandContext } from '../context';
import { ExitError, formatError } from '../errors';
import { Io } from '../io';
import { parseCommandLine } from './args';
import { ROOT } from './commands';
import { GLOBAL_FLAGS } from './flags';
import { commandHelp } from './help';
import { ParsedArgs, UsageError } from './spec';

/**
 * `coxctl __complete WORDS…`: the words are a partial command line, not flags for us; only
 * the connection flags among them (--kubeconfig, --context, -n …) are honoured.
 */
async function runCompletion(words: string[], io: Io): Promise<number> {
  const flags: ParsedArgs['flags'] = {};
  const given = new Set<string>();
  for (let i = 0; i < words.length - 1; i++) {
    const m = /^--?([a-z-]+)(?:=(.*))?$/.exec(words[i]);
    if (!m) continue;
    const flag = GLOBAL_FLAGS.find((f) => f.name === m[1] || f.short === m[1]);
    if (!flag || flag.type !== 'string') continue;
    flags[flag.name] = m[2] ?? words[i + 1];
    given.add(flag.name);
  }
  const ctx = new CommandContext(io, { args: words, dashArgs: [], flags: { ...flags, 'request-timeout': '3s' }, given }, ['__complete']);
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runComplete } = require('../commands/completion') as typeof import('../commands/completion');
    return await runComplete(ctx, ctx.parsed);
  } catch {
    return 0;
  } finally {
    await ctx.close().catch(() => undefined);
  }
}

export async function run(argv: string[], io: Io): Promise<number> {
  let ctx: CommandContext | undefined;
  try {
    if (argv[0] === '__complete') return await runCompletion(argv.slice(1), io);
    const { path, parsed, help } = parseCommandLine(ROOT, GLOBAL_FLAGS, argv);
    const cmd = path[path.length - 1];
    const names = path.slice(1).map((c) => c.name);
    if (help) {
      io.stdout.write(commandHelp(path, GLOBAL_FLAGS));
      return 0;
    }
    if (!cmd.run) {
      if (parsed.args.length) throw new UsageError(`unknown command "${parsed.args[0]}" for "${['coxctl', ...names].join(' ')}"`, names);
      io.stdout.write(commandHelp(path, GLOBAL_FLAGS));
      return 0;
    }
    const fn = await cmd.run();
    ctx = new CommandContext(io, parsed, names);
    return (await fn(ctx, parsed)) ?? 0;
  } catch (error) {
    if (error instanceof ExitError) return error.exitCode;
    const text = formatError(error);
    // Red only on a terminal (and never with NO_COLOR): piped stderr stays plain kubectl text.
    io.stderr.write(io.stderr.isTTY && !io.env.NO_COLOR && io.env.TERM !== 'dumb' ? `\x1b[31m${text.trimEnd()}\x1b[0m\n` : text);
    return (error as { exitCode?: number }).exitCode ?? 1;
  } finally {
    await ctx?.close().catch(() => undefined);
  }
}
