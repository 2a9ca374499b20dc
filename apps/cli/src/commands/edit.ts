// coxctl edit: the object in $KUBE_EDITOR/$EDITOR as YAML (or JSON); the difference is sent
// as a strategic merge patch. A rejected edit reopens with the server's complaint on top.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiError } from '@coxswain/client';
import { RESOURCES } from '@coxswain/api';
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError, formatError } from '../errors';
import { deepEqual, diffMaps } from '../apply/three-way';
import { parseManifestText } from '../manifests/read';
import { toJson, toYaml } from '../printers/output';
import { ApiResource, qualifiedName } from '../resources/mapper';
import { isObj, Obj } from '../types';
import { manifestNamespace, objectRef, requestNamespace, resolveTargets, withTypeMeta } from './common';

export const EDIT_HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

/** Lines starting with # dropped; undefined when nothing is left (abort). */
export function stripComments(text: string): string | undefined {
  const kept = text
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  return kept.trim() === '' ? undefined : kept;
}

/** The comment block put above a rejected edit. */
export function errorHeader(resource: ApiResource, name: string, error: unknown): string {
  const lines = [`# ${qualifiedName(resource)} "${name}" was not valid:`];
  if (error instanceof ApiError && error.causes.length) for (const c of error.causes) lines.push(`# * ${c.field ? `${c.field}: ` : ''}${c.message ?? ''}`);
  else lines.push(`# * ${formatError(error).trim().replace(/\n/g, '\n# ')}`);
  return `${lines.join('\n')}\n#\n`;
}

/** The patch an edit makes: every change, removals included; identity fields must not change. */
export function editPatch(original: Obj, edited: Obj, strategic: boolean): Obj {
  for (const field of ['apiVersion', 'kind'] as const) if (edited[field] !== original[field]) throw new CliError('At least one of apiVersion, kind and name was changed');
  if (edited.metadata?.name !== original.metadata?.name) throw new CliError('At least one of apiVersion, kind and name was changed');
  return diffMaps(original, edited, { strategic });
}

function runEditor(ctx: CommandContext, file: string): void {
  const editor = ctx.io.env.KUBE_EDITOR || ctx.io.env.EDITOR || 'vi';
  const res = spawnSync('/bin/sh', ['-c', `${editor} "$1"`, 'editor', file], { stdio: 'inherit', env: ctx.io.env, cwd: ctx.io.cwd });
  if (res.error) throw new CliError(`unable to launch the editor "${editor}": ${res.error.message}`);
  if (res.status !== 0) throw new CliError(`there was a problem with the editor "${editor}"`);
}

export async function runEdit(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const format = ctx.str('output') || 'yaml';
  if (format !== 'yaml' && format !== 'json') throw new UsageError(`the edit mode "${format}" is not supported, use yaml or json`, ctx.commandPath);
  const { targets } = await resolveTargets(ctx, parsed.args, 'edit');
  let ok = true;
  for (const target of targets) {
    if (!target.names.length) throw new UsageError('edit needs a NAME (TYPE NAME or TYPE/NAME)', ctx.commandPath);
    for (const [i, name] of target.names.entries()) {
      const manifest = target.manifests?.[i];
      const namespace = manifest ? manifestNamespace(ctx, target.resource, manifest.object) : requestNamespace(ctx, target.resource);
      ok = (await editOne(ctx, target.resource, name, namespace, format)) && ok;
    }
  }
  return ok ? 0 : 1;
}

async function editOne(ctx: CommandContext, resource: ApiResource, name: string, namespace: string | undefined, format: string): Promise<boolean> {
  const original = withTypeMeta(resource, await ctx.client.get<Obj>(resource, name, { namespace }));
  delete original.metadata?.managedFields;
  const dir = mkdtempSync(join(tmpdir(), 'coxctl-edit-'));
  const file = join(dir, `${resource.plural}-${name}.${format}`);
  const body = format === 'json' ? toJson(original) : toYaml(original);
  let header = EDIT_HEADER;
  let lastAttempt: string | undefined;
  try {
    for (;;) {
      writeFileSync(file, header + (lastAttempt ?? body));
      runEditor(ctx, file);
      const text = stripComments(readFileSync(file, 'utf8'));
      if (text === undefined) {
        ctx.out('Edit cancelled, no changes made.\n');
        return true;
      }
      if (lastAttempt !== undefined && text === stripComments(lastAttempt)) {
        const kept = join(tmpdir(), `coxctl-edit-${process.pid}-${Date.now()}.${format}`);
        writeFileSync(kept, text);
        ctx.err(`error: Edit cancelled, no valid changes were saved.\nA copy of your changes has been stored to "${kept}"\n`);
        return false;
      }
      let edited: Obj;
      try {
        const docs = parseManifestText(text, file);
        if (docs.length !== 1 || !isObj(docs[0])) throw new CliError('the edited file must hold exactly one object');
        edited = docs[0];
      } catch (error) {
        lastAttempt = text;
        header = `# The edited file had a syntax error: ${(error as Error).message.replace(/\n/g, ' ')}\n#\n`;
        continue;
      }
      if (deepEqual(edited, original)) {
        ctx.out('Edit cancelled, no changes made.\n');
        return true;
      }
      try {
        const strategic = RESOURCES.some((r) => r.group === resource.group && r.kind === resource.kind);
        const patch = editPatch(original, edited, strategic);
        await ctx.client.patch(resource, name, patch, { namespace, type: strategic ? 'strategic' : 'merge', fieldManager: ctx.str('field-manager') });
        ctx.out(`${objectRef(resource, name)} edited\n`);
        return true;
      } catch (error) {
        if (!(error instanceof ApiError) && !(error instanceof CliError)) throw error;
        lastAttempt = text;
        header = errorHeader(resource, name, error);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
