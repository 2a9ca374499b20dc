// --help text: summary, description, usage, examples and options, like kubectl's.
import { CommandSpec, FlagSpec } from './spec';

function flagLine(f: FlagSpec): [string, string] {
  const short = f.short ? `-${f.short}, ` : '    ';
  const value = f.type === 'bool' ? '' : `=${f.valueName ?? (f.type === 'int' ? 'int' : f.type === 'strings' ? 'strings' : 'string')}`;
  const dflt =
    f.default !== undefined && f.default !== '' && !(Array.isArray(f.default) && !f.default.length) && f.default !== false
      ? ` (default ${Array.isArray(f.default) ? `[${f.default.join(',')}]` : JSON.stringify(f.default)})`
      : '';
  return [`  ${short}--${f.name}${value}`, `${f.description}${dflt}`];
}

function flagBlock(flags: FlagSpec[]): string {
  const lines = flags.filter((f) => !f.hidden).map(flagLine);
  const width = Math.max(...lines.map(([l]) => l.length)) + 3;
  return lines.map(([l, d]) => `${l.padEnd(width)}${d}`).join('\n');
}

export function commandHelp(path: CommandSpec[], globalFlags: FlagSpec[], bin = 'coxctl'): string {
  const cmd = path[path.length - 1];
  const parts: string[] = [cmd.description ?? cmd.summary];
  const subs = (cmd.subcommands ?? []).filter((c) => !c.hidden);
  if (subs.length) {
    const width = Math.max(...subs.map((c) => c.name.length)) + 3;
    parts.push(`Available Commands:\n${subs.map((c) => `  ${c.name.padEnd(width)}${c.summary}`).join('\n')}`);
  }
  if (cmd.examples) parts.push(`Examples:\n${cmd.examples.replace(/^/gm, '  ').replace(/^ +$/gm, '')}`);
  const own = [...(path.length > 1 ? path.slice(1, -1).flatMap((c) => c.flags ?? []) : []), ...(cmd.flags ?? [])];
  if (own.length) parts.push(`Options:\n${flagBlock(own)}`);
  parts.push(`Usage:\n  ${cmd.usage}`);
  if (subs.length) parts.push(`Use "${[bin, ...path.slice(1).map((c) => c.name)].join(' ')} <command> --help" for more information about a given command.`);
  parts.push(`Global options:\n${flagBlock(globalFlags)}`);
  return `${parts.join('\n\n')}\n`;
}
