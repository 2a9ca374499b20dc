// One coxctl invocation: parse, dispatch, print errors kubectl's way, return the exit code.
import { CommandContext } from '../context';
import { ExitError, formatError } from '../errors';
import { Io } from '../io';
import { parseCommandLine } from './args';
import { ROOT } from './commands';
import { GLOBAL_FLAGS } from './flags';
import { commandHelp } from './help';
import { UsageError } from './spec';

export async function run(argv: string[], io: Io): Promise<number> {
  let ctx: CommandContext | undefined;
  try {
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
    io.stderr.write(formatError(error));
    return (error as { exitCode?: number }).exitCode ?? 1;
  } finally {
    await ctx?.close().catch(() => undefined);
  }
}
