// kubectl-style (pflag) command-line parsing: flags may appear anywhere, before or after
// the command words; `-oyaml`, `-o=yaml`, `-o yaml`, `--output=yaml`, `-it` all work; `--`
// ends flag parsing (exec's command follows it).
import { CommandSpec, FlagSpec, ParsedArgs, UsageError } from './spec';

export interface ParseResult {
  /** root … the command that runs. */
  path: CommandSpec[];
  parsed: ParsedArgs;
  help: boolean;
}

/** Finds the command path first, so flags of the final command are known everywhere on the line. */
export function parseCommandLine(root: CommandSpec, globalFlags: FlagSpec[], argv: string[]): ParseResult {
  const { path, commandWordIndexes } = findCommandPath(root, globalFlags, argv);
  const specs = [...globalFlags, ...path.flatMap((c) => c.flags ?? [])];
  const byName = new Map(specs.map((f) => [f.name, f]));
  const byShort = new Map(specs.filter((f) => f.short).map((f) => [f.short!, f]));
  const names = path.slice(1).map((c) => c.name);
  const parsed: ParsedArgs = { args: [], dashArgs: [], flags: defaults(specs), given: new Set() };
  let help = false;

  const set = (flag: FlagSpec, raw: string | undefined, shown: string) => {
    const previous = parsed.given.has(flag.name) ? parsed.flags[flag.name] : undefined;
    parsed.given.add(flag.name);
    parsed.flags[flag.name] = convert(flag, raw, shown, previous, names);
  };

  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (commandWordIndexes.has(i)) continue;
    if (token === '--') {
      parsed.dashArgs = argv.slice(i + 1);
      break;
    }
    if (token === '--help' || token === '-h') {
      help = true;
      continue;
    }
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      const name = token.slice(2, eq < 0 ? undefined : eq);
      const flag = byName.get(name);
      if (!flag) throw new UsageError(`unknown flag: --${name}`, names);
      let value = eq < 0 ? undefined : token.slice(eq + 1);
      if (value === undefined && flag.type !== 'bool' && flag.noOptDefault === undefined) {
        if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: --${name}`, names);
        value = argv[++i];
      }
      set(flag, value, `--${name}`);
      continue;
    }
    if (token.startsWith('-') && token.length > 1) {
      const cluster = token.slice(1);
      for (let c = 0; c < cluster.length; c++) {
        const flag = byShort.get(cluster[c]);
        if (!flag) throw new UsageError(`unknown shorthand flag: '${cluster[c]}' in ${token}`, names);
        if (flag.type === 'bool') {
          const rest = cluster.slice(c + 1);
          if (rest.startsWith('=')) {
            set(flag, rest.slice(1), `-${flag.short}`);
            break;
          }
          set(flag, undefined, `-${flag.short}`);
          continue;
        }
        let value = cluster.slice(c + 1).replace(/^=/, '');
        if (value === '') {
          if (flag.noOptDefault !== undefined) value = flag.noOptDefault;
          else if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: '${flag.short}' in ${token}`, names);
          else value = argv[++i];
        }
        set(flag, value, `-${flag.short}`);
        break;
      }
      continue;
    }
    parsed.args.push(token);
  }
  return { path, parsed, help };
}

/**
 * Walks the words that are not flags (or flag values) down the command tree. Flags seen
 * before their command is known are assumed to take a value only if some command on the
 * tree declares them so — e.g. `coxctl -n kube-system get pods`.
 */
function findCommandPath(root: CommandSpec, globalFlags: FlagSpec[], argv: string[]): { path: CommandSpec[]; commandWordIndexes: Set<number> } {
  const path = [root];
  const commandWordIndexes = new Set<number>();
  let known = [...globalFlags, ...(root.flags ?? [])];
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i];
    if (token === '--') break;
    if (token.startsWith('-') && token.length > 1) {
      if (takesSeparateValue(token, known)) i++;
      continue;
    }
    const current = path[path.length - 1];
    const next = current.subcommands?.find((c) => c.name === token || c.aliases?.includes(token));
    if (!next) break;
    path.push(next);
    commandWordIndexes.add(i);
    known = [...known, ...(next.flags ?? [])];
  }
  return { path, commandWordIndexes };
}

function takesSeparateValue(token: string, known: FlagSpec[]): boolean {
  if (token.startsWith('--')) {
    if (token.includes('=')) return false;
    const flag = known.find((f) => f.name === token.slice(2));
    return !!flag && flag.type !== 'bool' && flag.noOptDefault === undefined;
  }
  const cluster = token.slice(1);
  for (let c = 0; c < cluster.length; c++) {
    const flag = known.find((f) => f.short === cluster[c]);
    if (!flag) return false;
    if (flag.type !== 'bool') return c === cluster.length - 1 && flag.noOptDefault === undefined;
  }
  return false;
}

function defaults(specs: FlagSpec[]): ParsedArgs['flags'] {
  const out: ParsedArgs['flags'] = {};
  for (const f of specs) {
    if (f.default !== undefined) out[f.name] = Array.isArray(f.default) ? [...f.default] : f.default;
    else if (f.type === 'bool') out[f.name] = false;
    else if (f.type === 'strings') out[f.name] = [];
  }
  return out;
}

function convert(flag: FlagSpec, raw: string | undefined, shown: string, previous: unknown, names: string[]): boolean | string | number | string[] {
  const invalid = (why: string) => new UsageError(`invalid argument "${raw}" for "${shown}" flag: ${why}`, names);
  switch (flag.type) {
    case 'bool':
      if (raw === undefined || raw === 'true' || raw === '1') return true;
      if (raw === 'false' || raw === '0') return false;
      throw invalid('not a boolean');
    case 'int': {
      if (raw === undefined || !/^-?\d+$/.test(raw)) throw invalid('not an integer');
      return Number.parseInt(raw, 10);
    }
    case 'strings': {
      // pflag StringSlice: repeated flags accumulate, commas separate values.
      const before = Array.isArray(previous) ? previous : [];
      return [...before, ...(raw ?? '').split(',').filter((v) => v !== '')];
    }
    case 'string': {
      const value = raw ?? flag.noOptDefault ?? '';
      if (flag.values && !flag.values.includes(value)) throw invalid(`must be one of ${flag.values.join(', ')}`);
      return value;
    }
  }
}
