// Error text the way kubectl's cmdutil.CheckErr prints it, so scripts and people that
// read kubectl's errors read coxctl's the same way.
import type { ApiError } from '@coxswain/client';
import { UsageError } from './cli/spec';

/** ApiError by shape, so printing errors never has to load the client library. */
export function isApiError(error: unknown): error is ApiError {
  return error instanceof Error && error.name === 'ApiError' && typeof (error as { status?: unknown }).status === 'object';
}

/** An error whose message is already final (printed as is, after "error: "). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** A failure already reported on stderr; only the exit code is left to set. */
export class ExitError extends Error {
  override readonly name = 'ExitError';
  constructor(readonly exitCode = 1) {
    super(`exit ${exitCode}`);
  }
}

/** Prefixes a server error's message with where it happened (`error when creating "web.yaml": …`). */
export function withSource(error: unknown, action: string, source: string | undefined): unknown {
  if (!isApiError(error) || !source) return error;
  const status = { ...error.status, message: `error when ${action} "${source}": ${error.status.message ?? ''}` };
  const Ctor = error.constructor as new (...args: unknown[]) => ApiError;
  return new Ctor(status, error.method, error.path);
}

function serverMessage(error: ApiError): string {
  return error.status.message || error.status.reason || `the server responded with the status code ${error.code}`;
}

/** The text kubectl would print for an error, ending in a newline. */
export function formatError(error: unknown, bin = 'coxctl'): string {
  if (error instanceof UsageError) {
    const hint = error.commandPath.length ? `\nSee '${bin} ${error.commandPath.join(' ')} --help' for usage.` : `\nSee '${bin} --help' for usage.`;
    return `error: ${error.message}${hint}\n`;
  }
  if (isApiError(error)) return `${apiErrorText(error)}\n`;
  const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException & { code?: string; address?: string; port?: number } };
  const cause = err?.cause;
  if (cause?.code === 'ECONNREFUSED' || err?.code === 'ECONNREFUSED') {
    const c = cause?.code === 'ECONNREFUSED' ? cause : err;
    const host = (c as { address?: string; port?: number }).address ? `${(c as { address?: string }).address}:${(c as { port?: number }).port}` : 'the server';
    return `The connection to the server ${host} was refused - did you specify the right host or port?\n`;
  }
  if (cause && /ENOTFOUND|ETIMEDOUT|ECONNRESET|EHOSTUNREACH|CERT|certificate|self.signed/i.test(`${cause.code} ${cause.message}`)) {
    return `Unable to connect to the server: ${cause.message}\n`;
  }
  const message = error instanceof Error ? error.message : String(error);
  return message.startsWith('error: ') || message.startsWith('Error ') ? `${message}\n` : `error: ${message}\n`;
}

function apiErrorText(error: ApiError): string {
  const status = error.status;
  if (status.code === 422 || status.reason === 'Invalid') {
    const details = status.details;
    let text = 'The request is invalid';
    if (!details) return `${text}: ${serverMessage(error)}`;
    if (details.kind || details.name) text = `The ${details.kind ?? ''} "${details.name ?? ''}" is invalid`;
    else text += `: ${serverMessage(error)}`;
    const causes = (details.causes ?? []).map((c) => (c.field ? `${c.field}: ${c.message ?? ''}` : (c.message ?? '')));
    if (!causes.length) return text;
    if (causes.length === 1) return `${text}: ${causes[0]}`;
    return `${text}: \n${causes.map((c) => `* ${c}`).join('\n')}`;
  }
  if (status.reason === 'Unauthorized' || status.code === 401) return `error: You must be logged in to the server (${status.message || 'Unauthorized'})`;
  if (status.reason && status.reason !== 'Unknown') return `Error from server (${status.reason}): ${serverMessage(error)}`;
  return `Error from server: ${serverMessage(error)}`;
}
