// coxctl config …: read and edit kubeconfig files with kubectl's messages. Edits go back to
// the file that defined the entry (see @coxswain/client's kubeconfig helpers).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { deleteEntry, FieldEdits, Kubeconfig, LoadedKubeconfig, setCluster, setContext, setCurrentNamespace, setUser, useContext } from '@coxswain/client';
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError } from '../errors';
import { toJson, toYaml } from '../printers/output';
import { formatColumns } from '../printers/tabwriter';
import { Obj } from '../types';

function oneName(ctx: CommandContext, parsed: ParsedArgs, what: string): string {
  if (parsed.args.length !== 1) throw new UsageError(`Unexpected args: ${parsed.args.length ? parsed.args.join(' ') : `missing ${what}`}`, ctx.commandPath);
  return parsed.args[0];
}

export async function runGetContexts(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const { config } = ctx.loadKubeconfig();
  const current = config['current-context'];
  let contexts = config.contexts;
  if (parsed.args.length) {
    const missing = parsed.args.filter((n) => !contexts.some((c) => c.name === n));
    if (missing.length) throw new CliError(`context ${missing[0]} not found`);
    contexts = contexts.filter((c) => parsed.args.includes(c.name));
  }
  if (ctx.str('output') === 'name') {
    for (const c of contexts) ctx.out(`${c.name}\n`);
    return 0;
  }
  const rows = contexts.map((c) => [c.name === current ? '*' : '', c.name, c.context.cluster ?? '', c.context.user ?? '', c.context.namespace ?? '']);
  ctx.out(formatColumns(ctx.bool('no-headers') ? rows : [['CURRENT', 'NAME', 'CLUSTER', 'AUTHINFO', 'NAMESPACE'], ...rows]));
  return 0;
}

export async function runCurrentContext(ctx: CommandContext): Promise<number> {
  const current = ctx.loadKubeconfig().config['current-context'];
  if (!current) throw new CliError('current-context is not set');
  ctx.out(`${current}\n`);
  return 0;
}

export async function runUseContext(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const name = oneName(ctx, parsed, 'context name');
  useContext(ctx.loadKubeconfig(), name);
  ctx.out(`Switched to context "${name}".\n`);
  return 0;
}

/** Only the fields the user gave: an empty value removes the field. */
function givenFields(ctx: CommandContext, map: Record<string, string>): FieldEdits {
  const fields: FieldEdits = {};
  for (const [flag, field] of Object.entries(map)) if (ctx.given(flag)) fields[field] = ctx.str(flag) === '' ? null : ctx.str(flag);
  return fields;
}

export async function runSetContext(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const loaded = ctx.loadKubeconfig();
  const fields = givenFields(ctx, { cluster: 'cluster', user: 'user', namespace: 'namespace' });
  let name: string;
  if (ctx.bool('current')) {
    if (parsed.args.length) throw new UsageError('you cannot specify both a context name and --current', ctx.commandPath);
    name = loaded.config['current-context'] ?? '';
    if (!name) throw new CliError('no current context is set');
  } else {
    name = oneName(ctx, parsed, 'context name');
  }
  const exists = loaded.config.contexts.some((c) => c.name === name);
  if (ctx.bool('current') && Object.keys(fields).length === 1 && 'namespace' in fields) setCurrentNamespace(loaded, fields.namespace as string | null);
  else setContext(loaded, name, fields);
  ctx.out(`Context "${name}" ${exists ? 'modified' : 'created'}.\n`);
  return 0;
}

function fileOrData(ctx: CommandContext, flag: string, field: string, fields: FieldEdits): void {
  if (!ctx.given(flag)) return;
  const path = ctx.str(flag);
  if (ctx.bool('embed-certs') && path) {
    fields[`${field}-data`] = readFileSync(resolve(ctx.io.cwd, path)).toString('base64');
    fields[field] = null;
  } else {
    fields[field] = path ? resolve(ctx.io.cwd, path) : null;
  }
}

export async function runSetCluster(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const name = oneName(ctx, parsed, 'cluster name');
  const fields = givenFields(ctx, { server: 'server', 'tls-server-name': 'tls-server-name' });
  if (ctx.given('insecure-skip-tls-verify')) fields['insecure-skip-tls-verify'] = ctx.bool('insecure-skip-tls-verify') ? true : null;
  fileOrData(ctx, 'certificate-authority', 'certificate-authority', fields);
  setCluster(ctx.loadKubeconfig(), name, fields);
  ctx.out(`Cluster "${name}" set.\n`);
  return 0;
}

export async function runSetCredentials(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const name = oneName(ctx, parsed, 'user name');
  const fields = givenFields(ctx, { token: 'token', username: 'username', password: 'password' });
  fileOrData(ctx, 'client-certificate', 'client-certificate', fields);
  fileOrData(ctx, 'client-key', 'client-key', fields);
  setUser(ctx.loadKubeconfig(), name, fields);
  ctx.out(`User "${name}" set.\n`);
  return 0;
}

function deleter(section: 'contexts' | 'clusters' | 'users', noun: string) {
  return async (ctx: CommandContext, parsed: ParsedArgs): Promise<number> => {
    const name = oneName(ctx, parsed, `${noun} name`);
    const loaded = ctx.loadKubeconfig();
    const file = loaded.origin[section].get(name);
    if (!file) throw new CliError(`cannot delete ${noun} ${name}, not in ${loaded.files.join(', ')}`);
    if (section === 'contexts' && loaded.config['current-context'] === name) ctx.err(`warning: this removed your active context, use "coxctl config use-context" to select a different one\n`);
    deleteEntry(loaded, section, name);
    ctx.out(`deleted ${noun} ${name} from ${file}\n`);
    return 0;
  };
}

export const runDeleteContext = deleter('contexts', 'context');
export const runDeleteCluster = deleter('clusters', 'cluster');
export const runDeleteUser = deleter('users', 'user');

export async function runGetClusters(ctx: CommandContext): Promise<number> {
  ctx.out(['NAME', ...ctx.loadKubeconfig().config.clusters.map((c) => c.name)].join('\n') + '\n');
  return 0;
}

export async function runGetUsers(ctx: CommandContext): Promise<number> {
  ctx.out(['NAME', ...ctx.loadKubeconfig().config.users.map((u) => u.name)].join('\n') + '\n');
  return 0;
}

const SECRET_DATA = ['certificate-authority-data', 'client-certificate-data', 'client-key-data'];
const SECRET_TEXT = ['token', 'password'];

/** `config view`: the merged kubeconfig, secrets redacted unless --raw, trimmed to the current context with --minify. */
export function viewKubeconfig(loaded: LoadedKubeconfig, options: { raw: boolean; minify: boolean; context?: string }): Obj {
  const config: Kubeconfig = structuredClone(loaded.config);
  if (options.minify) {
    const name = options.context || config['current-context'];
    const context = config.contexts.find((c) => c.name === name);
    if (!context) throw new CliError(name ? `context "${name}" does not exist` : 'current-context must exist in order to minify');
    config.contexts = [context];
    config.clusters = config.clusters.filter((c) => c.name === context.context.cluster);
    config.users = config.users.filter((u) => u.name === context.context.user);
    config['current-context'] = context.name;
  }
  if (!options.raw) {
    for (const entry of [...config.clusters.map((c) => c.cluster), ...config.users.map((u) => u.user)] as Obj[]) {
      for (const key of SECRET_DATA) if (entry[key]) entry[key] = 'DATA+OMITTED';
      for (const key of SECRET_TEXT) if (entry[key]) entry[key] = 'REDACTED';
    }
  }
  return { ...config, apiVersion: config.apiVersion ?? 'v1', kind: config.kind ?? 'Config', preferences: config.preferences ?? {} };
}

export async function runView(ctx: CommandContext): Promise<number> {
  const view = viewKubeconfig(ctx.loadKubeconfig(), { raw: ctx.bool('raw'), minify: ctx.bool('minify'), context: ctx.str('context') });
  ctx.out(ctx.str('output') === 'json' ? toJson(view) : toYaml(view));
  return 0;
}
