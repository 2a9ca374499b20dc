// coxctl token create|list|delete: bootstrap tokens as kubeadm manages them — Secrets
// kube-system/bootstrap-token-<id> that let a new machine's node agent ask for its certificate.
import {
  BOOTSTRAP_TOKEN_NAMESPACE,
  BOOTSTRAP_TOKEN_PREFIX,
  BOOTSTRAP_TOKEN_TYPE,
  bootstrapTokenData,
  bootstrapTokenExpiry,
  bootstrapTokenSecret,
  caCertHash,
  generateBootstrapToken,
  parseBootstrapToken,
  Secret,
} from '@coxswain/api';
import { BUILTIN_RESOURCES as R, isNotFound } from '@coxswain/client';
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext, parseDurationMs } from '../context';
import { CliError } from '../errors';
import { humanDuration } from '../printers/age';
import { formatColumns } from '../printers/tabwriter';

/** kubeadm token list's columns, one row per token Secret. */
export function tokenRows(secrets: Secret[], now: Date): string[][] {
  const rows = [['TOKEN', 'TTL', 'EXPIRES', 'USAGES', 'DESCRIPTION', 'EXTRA GROUPS']];
  for (const secret of secrets) {
    if (secret.type !== BOOTSTRAP_TOKEN_TYPE) continue;
    const data = bootstrapTokenData(secret);
    if (!data['token-id'] || !data['token-secret']) continue;
    const expiry = bootstrapTokenExpiry(secret);
    const left = expiry ? expiry.getTime() - now.getTime() : undefined;
    const ttl = left === undefined ? '<forever>' : left <= 0 ? '<invalid>' : humanDuration(left);
    const usages = Object.keys(data).filter((k) => k.startsWith('usage-bootstrap-') && data[k] === 'true').map((k) => k.slice('usage-bootstrap-'.length)).sort();
    rows.push([`${data['token-id']}.${data['token-secret']}`, ttl, data.expiration ?? '<never>', usages.join(',') || '<none>', data.description ?? '<none>', data['auth-extra-groups'] ?? '<none>']);
  }
  return rows;
}

/** A token id from `abcdef` or `abcdef.0123456789abcdef`. */
export function tokenIdOf(text: string): string {
  const full = parseBootstrapToken(text);
  if (full) return full.id;
  if (/^[a-z0-9]{6}$/.test(text)) return text;
  throw new UsageError(`error: given token or token id "${text}" didn't match pattern "[a-z0-9]{6}" or "[a-z0-9]{6}\\.[a-z0-9]{16}"`, ['token', 'delete']);
}

/**
 * The command a new machine runs to join (kubeadm token create --print-join-command): the API
 * server's address, the token and the public-key hash of the CA this kubeconfig trusts (pure).
 */
export function joinCommand(server: string | undefined, caPem: string | undefined): (token: string) => string {
  const first = server?.split(',')[0]?.trim();
  if (!first || !first.startsWith('https://')) throw new CliError(`error: the kubeconfig's server ${JSON.stringify(server ?? '')} is not an https:// address a machine can join`);
  if (!caPem) throw new CliError('error: the kubeconfig\'s cluster has no certificate-authority(-data), so there is no CA hash for --discovery-token-ca-cert-hash');
  let hash: string;
  try {
    hash = caCertHash(caPem);
  } catch (error) {
    throw new CliError(`error: the kubeconfig's certificate authority is not a PEM certificate: ${(error as Error).message}`);
  }
  return (token) => `npm run up -- --join ${first.replace(/\/+$/, '')} --token ${token} --discovery-token-ca-cert-hash ${hash}`;
}

export async function runTokenCreate(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (parsed.args.length) throw new UsageError(`error: unexpected arguments: ${parsed.args.join(' ')}`, ['token', 'create']);
  const ttlMs = parseDurationMs(ctx.str('ttl') || '24h');
  const token = generateBootstrapToken();
  // Checked before the token exists, so a kubeconfig without a CA leaves nothing behind.
  const { connection } = ctx.kube().resolved;
  const print = ctx.bool('print-join-command') ? joinCommand(connection.server, connection.ca === undefined ? undefined : String(connection.ca)) : undefined;
  const secret = bootstrapTokenSecret(token, {
    expiration: ttlMs > 0 ? new Date(Date.now() + ttlMs) : undefined,
    description: ctx.str('description') || undefined,
    extraGroups: ctx.strs('groups'),
  });
  await ctx.client.create(R.Secret, secret, { namespace: BOOTSTRAP_TOKEN_NAMESPACE });
  ctx.out(`${print ? print(`${token.id}.${token.secret}`) : `${token.id}.${token.secret}`}\n`);
  return 0;
}

export async function runTokenList(ctx: CommandContext): Promise<number> {
  const list = await ctx.client.list<Secret>(R.Secret, { namespace: BOOTSTRAP_TOKEN_NAMESPACE, fieldSelector: `type=${BOOTSTRAP_TOKEN_TYPE}` });
  const rows = tokenRows(list.items, new Date());
  if (rows.length > 1) ctx.out(formatColumns(rows));
  return 0;
}

export async function runTokenDelete(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (!parsed.args.length) throw new UsageError('error: missing subcommand; "token delete" is missing token of form "[a-z0-9]{6}"', ['token', 'delete']);
  for (const id of parsed.args.map(tokenIdOf)) {
    try {
      await ctx.client.delete(R.Secret, `${BOOTSTRAP_TOKEN_PREFIX}${id}`, { namespace: BOOTSTRAP_TOKEN_NAMESPACE });
    } catch (error) {
      if (isNotFound(error)) throw new CliError(`error: bootstrap token "${id}" not found`);
      throw error;
    }
    ctx.out(`bootstrap token "${id}" deleted\n`);
  }
  return 0;
}
