import { Status, StatusCause } from './types';

/** Reason the API uses for each HTTP code, for bodies that are not a Status (proxies, plain text). */
const REASON_BY_CODE: Record<number, string> = {
  400: 'BadRequest',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'NotFound',
  405: 'MethodNotAllowed',
  406: 'NotAcceptable',
  409: 'Conflict',
  410: 'Expired',
  413: 'RequestEntityTooLarge',
  415: 'UnsupportedMediaType',
  422: 'Invalid',
  429: 'TooManyRequests',
  500: 'InternalError',
  503: 'ServiceUnavailable',
  504: 'Timeout',
};

/**
 * An HTTP error from the API server, carrying its Status so callers branch on code/reason
 * (404 → gone, 409 → re-read and retry, 410 → relist) instead of parsing messages.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  /**
   * The answer came to a request sent again after an attempt whose outcome is unknown (a
   * connection broke once it may have been received, or a 5xx with Retry-After such as etcd's
   * ServerTimeout): that attempt may have taken effect (a create answered 409 may be our own).
   */
  retriedAfterUncertainOutcome = false;

  constructor(
    readonly status: Status,
    readonly method?: string,
    readonly path?: string,
  ) {
    super(`${method ? `${method} ${path}: ` : ''}${status.message || status.reason || `HTTP ${status.code}`}`);
  }

  get code(): number {
    return this.status.code;
  }

  get reason(): string {
    return this.status.reason ?? '';
  }

  get causes(): StatusCause[] {
    return this.status.details?.causes ?? [];
  }

  get retryAfterSeconds(): number | undefined {
    return this.status.details?.retryAfterSeconds;
  }
}

export function reasonForCode(code: number): string {
  return REASON_BY_CODE[code] ?? (code >= 500 ? 'InternalError' : 'Unknown');
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

/**
 * Turns an error response into a Status: the body's own Status when it is one, otherwise a
 * synthesized Failure whose message is the (truncated) body text.
 */
export function statusFromResponse(code: number, bodyText: string, retryAfterHeader?: string): Status {
  let parsed: unknown;
  try {
    parsed = bodyText ? JSON.parse(bodyText) : undefined;
  } catch {
    parsed = undefined;
  }
  const retryAfter = retryAfterHeader !== undefined ? Number.parseInt(retryAfterHeader, 10) : NaN;
  if (isStatus(parsed)) {
    const status: Status = { ...parsed, code: parsed.code || code };
    if (!status.status) status.status = status.code >= 400 ? 'Failure' : 'Success';
    if (!status.reason) status.reason = reasonForCode(status.code);
    if (Number.isFinite(retryAfter) && status.details?.retryAfterSeconds === undefined) {
      status.details = { ...status.details, retryAfterSeconds: retryAfter };
    }
    return status;
  }
  return {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    code,
    reason: reasonForCode(code),
    message: bodyText.trim().slice(0, 1024) || `HTTP ${code}`,
    ...(Number.isFinite(retryAfter) ? { details: { retryAfterSeconds: retryAfter } } : {}),
  };
}

const hasCode = (error: unknown, code: number): boolean => error instanceof ApiError && error.code === code;

export const isNotFound = (error: unknown): boolean => hasCode(error, 404);
/** 409 with reason AlreadyExists (create of an existing name). */
export const isAlreadyExists = (error: unknown): boolean => hasCode(error, 409) && (error as ApiError).reason === 'AlreadyExists';
/** 409 other than AlreadyExists: resourceVersion or precondition mismatch. */
export const isConflict = (error: unknown): boolean => hasCode(error, 409) && (error as ApiError).reason !== 'AlreadyExists';
/** 410: the requested resourceVersion is compacted away; relist. */
export const isGone = (error: unknown): boolean => hasCode(error, 410);
export const isInvalid = (error: unknown): boolean => hasCode(error, 422);
export const isUnauthorized = (error: unknown): boolean => hasCode(error, 401);
export const isForbidden = (error: unknown): boolean => hasCode(error, 403);
export const isTooManyRequests = (error: unknown): boolean => hasCode(error, 429);
