// The shape every coxctl command is declared with: one declaration drives parsing, --help
// and shell completion, so the three can never disagree.
import type { CommandContext } from '../context';

export type FlagType = 'bool' | 'string' | 'int' | 'strings';

/** What the shell should offer for a flag's value or a positional argument. */
export type CompletionKind = 'resource-type' | 'resource' | 'namespace' | 'context' | 'cluster' | 'user' | 'node' | 'pod' | 'vm' | 'vmi' | 'file' | 'container' | 'none';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  default?: boolean | string | number | string[];
  description: string;
  /** Shown instead of the type in help, e.g. 'json|yaml|wide|name|…'. */
  valueName?: string;
  /** A fixed set of values (also used for completion). */
  values?: string[];
  complete?: CompletionKind;
  /** `--flag` alone is allowed for a string flag and means this value (like `--cascade`). */
  noOptDefault?: string;
  hidden?: boolean;
}

export interface ParsedArgs {
  /** Positional arguments before `--`. */
  args: string[];
  /** Everything after `--` (exec's command). */
  dashArgs: string[];
  flags: Record<string, boolean | string | number | string[] | undefined>;
  /** Flags the user actually typed (to tell a default from an explicit value). */
  given: Set<string>;
}

export type RunFn = (ctx: CommandContext, parsed: ParsedArgs) => Promise<number | void>;

export interface CommandSpec {
  name: string;
  aliases?: string[];
  /** One line for command lists. */
  summary: string;
  /** Longer help text. */
  description?: string;
  usage: string;
  /** `# comment` lines followed by a command line, like kubectl's help. */
  examples?: string;
  flags?: FlagSpec[];
  /** What positional arguments complete to. */
  argsComplete?: CompletionKind;
  subcommands?: CommandSpec[];
  /** Loads the implementation on demand so `--help` and completion stay fast. */
  run?: () => Promise<RunFn>;
  hidden?: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** The command path for the "See 'coxctl … --help'" hint. */
    readonly commandPath: string[] = [],
  ) {
    super(message);
  }
}
