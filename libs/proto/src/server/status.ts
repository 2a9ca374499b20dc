// gRPC status codes and how an error becomes one, as grpc-js servers do it: the agent's
// handlers fail with `{ code, details }` errors, anything else is UNKNOWN with its message.
import { Status } from '../wire/grpc-status';

export { Status };

export interface StatusObject {
  code: Status;
  details: string;
}

/** An Error that carries a gRPC status (what handlers emit or call back with). */
export type StatusError = Error & StatusObject;

export const statusError = (code: Status, details: string): StatusError => Object.assign(new Error(details), { code, details });

/** grpc-js' serverErrorToStatus: an integer `code` (and string `details`) win, else UNKNOWN with the message. */
export function statusOf(error: unknown): StatusObject {
  const e = (error ?? {}) as { code?: unknown; details?: unknown; message?: unknown };
  const message = typeof e.message === 'string' ? e.message : 'Unknown Error';
  if (typeof e.code !== 'number' || !Number.isInteger(e.code)) return { code: Status.UNKNOWN, details: message };
  return { code: e.code, details: typeof e.details === 'string' ? e.details : message };
}

/**
 * The trailers that carry a status. grpc-js clients read `grpc-message` with decodeURI, and
 * grpc-js servers write it with encodeURI: doing the same gives back every string exactly (lone
 * surrogates, which encodeURI rejects, become U+FFFD).
 */
export function statusTrailers({ code, details }: StatusObject): Record<string, string> {
  return { 'grpc-status': String(code), 'grpc-message': encodeURI(details.replace(/\p{Cs}/gu, '\uFFFD')) };
}
