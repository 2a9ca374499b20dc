// Shell completion: the candidates for the last word of a partial command line, computed
// from the same command tree the parser and --help use. Names of live objects come from a
// `sources` object the command fills from the API server and the kubeconfig.
import { CommandSpec, CompletionKind, FlagSpec } from '../cli/spec';

export interface CompletionSources {
  resourceTypes(): string[];
  /** Object names of a typed resource (`pods`, `deploy`, …) in the current namespace. */
  names(type: string): Promise<string[]>;
  namespaces(): Promise<string[]>;
  contexts(): string[];
  clusters(): string[];
  users(): string[];
  containers(podArg: string): Promise<string[]>;
}

/** Tells the shell script to fall back to file name completion. */
export const FILES = '__files__';

export interface Completion {
  path: CommandSpec[];
  candidates: string[];
}

function flagsFor(path: CommandSpec[], globals: FlagSpec[]): FlagSpec[] {
  return [...globals, ...path.flatMap((c) => c.flags ?? [])];
}

function takesValue(flag: FlagSpec | undefined): boolean {
  return !!flag && flag.type !== 'bool' && flag.noOptDefault === undefined;
}

async function valuesFor(flag: FlagSpec, sources: CompletionSources, path: CommandSpec[], arg: string): Promise<string[]> {
  if (flag.values) return flag.values.filter((v) => v !== '');
  if (flag.name === 'output') {
    const name = path[path.length - 1]?.name;
    return name === 'get' || name === 'list' ? ['json', 'yaml', 'name', 'wide', 'jsonpath=', 'custom-columns='] : ['json', 'yaml', 'name'];
  }
  return kindValues(flag.complete ?? 'none', sources, arg);
}

async function kindValues(kind: CompletionKind, sources: CompletionSources, arg: string): Promise<string[]> {
  switch (kind) {
    case 'file':
      return [FILES];
    case 'namespace':
      return sources.namespaces();
    case 'context':
      return sources.contexts();
    case 'cluster':
      return sources.clusters();
    case 'user':
      return sources.users();
    case 'resource-type':
      return sources.resourceTypes();
    case 'node':
      return sources.names('nodes');
    case 'pod':
      return sources.names('pods');
    case 'vm':
      return sources.names('virtualmachines');
    case 'vmi':
      return sources.names('virtualmachineinstances');
    case 'container':
      return arg ? sources.containers(arg) : [];
    default:
      return [];
  }
}

/**
 * Candidates for the last of `words` (the word being typed, possibly empty). Candidates
 * are whole words; the shell keeps those that start with what was typed.
 */
export async function complete(root: CommandSpec, globals: FlagSpec[], words: string[], sources: CompletionSources): Promise<Completion> {
  const current = words.length ? words[words.length - 1] : '';
  const before = words.slice(0, -1);
  const path = [root];
  const positionals: string[] = [];
  let pendingFlag: FlagSpec | undefined;
  let dashDash = false;
  for (const word of before) {
    const flags = flagsFor(path, globals);
    if (pendingFlag) {
      pendingFlag = undefined;
      continue;
    }
    if (word === '--') {
      dashDash = true;
      continue;
    }
    if (dashDash) continue;
    if (word.startsWith('--')) {
      if (!word.includes('=')) pendingFlag = takesValue(flags.find((f) => f.name === word.slice(2))) ? flags.find((f) => f.name === word.slice(2)) : undefined;
      continue;
    }
    if (word.startsWith('-') && word.length > 1) {
      const last = flags.find((f) => f.short === word[word.length - 1]);
      if (word.length === 2 && takesValue(last)) pendingFlag = last;
      continue;
    }
    const cmd = path[path.length - 1];
    const sub = positionals.length === 0 ? cmd.subcommands?.find((c) => c.name === word || c.aliases?.includes(word)) : undefined;
    if (sub) path.push(sub);
    else positionals.push(word);
  }
  const cmd = path[path.length - 1];
  const flags = flagsFor(path, globals).filter((f) => !f.hidden);
  if (dashDash) return { path, candidates: [] };
  if (pendingFlag) return { path, candidates: await valuesFor(pendingFlag, sources, path, positionals[0] ?? '') };
  if (current.startsWith('--') && current.includes('=')) {
    const name = current.slice(2, current.indexOf('='));
    const flag = flags.find((f) => f.name === name);
    const values = flag ? await valuesFor(flag, sources, path, positionals[0] ?? '') : [];
    return { path, candidates: values[0] === FILES ? values : values.map((v) => `--${name}=${v}`) };
  }
  if (current.startsWith('-')) {
    return { path, candidates: flags.map((f) => (takesValue(f) ? `--${f.name}=` : `--${f.name}`)) };
  }
  const subs = (cmd.subcommands ?? []).filter((c) => !c.hidden);
  if (subs.length && positionals.length === 0) return { path, candidates: subs.map((c) => c.name) };
  const kind = cmd.argsComplete ?? 'none';
  if (kind === 'resource') {
    if (current.includes('/')) {
      const type = current.slice(0, current.indexOf('/'));
      return { path, candidates: (await sources.names(type)).map((n) => `${type}/${n}`) };
    }
    if (positionals.length === 0) return { path, candidates: sources.resourceTypes() };
    if (positionals[0].includes('/')) return { path, candidates: [] };
    return { path, candidates: await sources.names(positionals[0].split(',')[0]) };
  }
  return { path, candidates: await kindValues(kind, sources, positionals[0] ?? '') };
}
