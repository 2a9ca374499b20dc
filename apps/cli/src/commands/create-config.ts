// coxctl create configmap / create secret generic: the objects kubectl generates from
// --from-literal and --from-file (a file's base name is its key, `key=path` renames it, a
// directory contributes each regular file whose name is a valid key).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { isConfigMapKey } from '@coxswain/api';
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext } from '../context';
import { Obj } from '../types';
import { createGenerated } from './apply';

export interface ConfigSources {
  literals: string[];
  files: string[];
}

/** Reads every source into key → bytes; errors are kubectl's wording. */
export function collectSources(sources: ConfigSources, kind: 'ConfigMap' | 'Secret', name: string, read = readFileSync, stat = statSync, list = readdirSync): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const add = (key: string, value: Buffer) => {
    const problems = isConfigMapKey(key);
    if (problems.length) throw new Error(`"${key}" is not a valid key name for a ${kind}: ${problems.join('; ')}`);
    if (out.has(key)) throw new Error(`cannot add key ${key}, another key by that name already exists in ${kind === 'Secret' ? 'data' : 'Data'} for ${kind} "${name}"`);
    out.set(key, value);
  };
  for (const literal of sources.literals) {
    const eq = literal.indexOf('=');
    if (eq <= 0) throw new Error(`invalid literal source ${literal}, expected key=value`);
    add(literal.slice(0, eq), Buffer.from(literal.slice(eq + 1)));
  }
  for (const source of sources.files) {
    const eq = source.indexOf('=');
    const [key, path] = eq > 0 ? [source.slice(0, eq), source.slice(eq + 1)] : [undefined, source];
    if (stat(path).isDirectory()) {
      if (key) throw new Error('cannot give a key name for a directory path');
      for (const entry of list(path)) {
        const full = join(path, String(entry));
        if (stat(full).isFile() && isConfigMapKey(String(entry)).length === 0) add(String(entry), read(full));
      }
    } else add(key ?? basename(path), read(path));
  }
  return out;
}

const isUtf8 = (b: Buffer) => Buffer.from(b.toString('utf8'), 'utf8').equals(b);

/** kubectl puts UTF-8 values in data and anything else in binaryData. */
export function generateConfigMap(name: string, values: Map<string, Buffer>): Obj {
  const data: Record<string, string> = {};
  const binaryData: Record<string, string> = {};
  for (const [k, v] of values) {
    if (isUtf8(v)) data[k] = v.toString('utf8');
    else binaryData[k] = v.toString('base64');
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, ...(Object.keys(data).length ? { data } : {}), ...(Object.keys(binaryData).length ? { binaryData } : {}) };
}

export function generateSecret(name: string, type: string, values: Map<string, Buffer>): Obj {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name }, type: type || 'Opaque', data: Object.fromEntries([...values].map(([k, v]) => [k, v.toString('base64')])) };
}

/** Relative file paths are relative to the working directory coxctl runs in. */
function sourcesOf(ctx: CommandContext): ConfigSources {
  const files = ctx.strs('from-file').map((source) => {
    const eq = source.indexOf('=');
    return eq > 0 ? `${source.slice(0, eq)}=${resolve(ctx.io.cwd, source.slice(eq + 1))}` : resolve(ctx.io.cwd, source);
  });
  return { literals: ctx.strs('from-literal'), files };
}

export async function runCreateConfigMap(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (parsed.args.length !== 1) throw new UsageError('exactly one NAME is required, got ' + parsed.args.length, ctx.commandPath);
  const name = parsed.args[0];
  return createGenerated(ctx, await ctx.mapper.resolve('configmaps'), generateConfigMap(name, collectSources(sourcesOf(ctx), 'ConfigMap', name)));
}

export async function runCreateSecretGeneric(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (parsed.args.length !== 1) throw new UsageError('exactly one NAME is required, got ' + parsed.args.length, ctx.commandPath);
  const name = parsed.args[0];
  return createGenerated(ctx, await ctx.mapper.resolve('secrets'), generateSecret(name, ctx.str('type'), collectSources(sourcesOf(ctx), 'Secret', name)));
}
