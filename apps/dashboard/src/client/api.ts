// Browser side of the proxy: every API call goes to /api/k8s/<path> on the dashboard server,
// which adds the session's token. Failures become ApiError with the Status' causes.
import type { ApiRequest } from '../lib/actions';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly reason?: string,
    readonly causes: StatusCause[] = [],
  ) {
    super(message);
  }
}

export const proxied = (path: string) => `/api/k8s${path}`;

/** Turns a non-2xx answer into an ApiError (Status body when there is one). */
export async function errorFrom(res: Response): Promise<ApiError> {
  const text = await res.text().catch(() => '');
  try {
    const status = JSON.parse(text) as { message?: string; reason?: string; details?: { causes?: StatusCause[] } };
    return new ApiError(res.status, status.message || `HTTP ${res.status}`, status.reason, status.details?.causes ?? []);
  } catch {
    return new ApiError(res.status, text.slice(0, 300) || `HTTP ${res.status}`);
  }
}

let onUnauthorized: () => void = () => {
  if (typeof window !== 'undefined' && !window.location.pathname.startsWith('/login')) {
    window.location.assign(`/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`);
  }
};
export const setUnauthorizedHandler = (fn: () => void) => (onUnauthorized = fn);
/** What a 401 does: back to the login page, returning here afterwards. */
export const unauthorized = () => onUnauthorized();

export async function send<T = unknown>(request: Pick<ApiRequest, 'method' | 'path' | 'body' | 'contentType'>, init: { signal?: AbortSignal; accept?: string } = {}): Promise<T> {
  const res = await fetch(proxied(request.path), {
    method: request.method,
    headers: { accept: init.accept ?? 'application/json', ...(request.body !== undefined ? { 'content-type': request.contentType ?? 'application/json' } : {}) },
    body: request.body === undefined ? undefined : JSON.stringify(request.body),
    signal: init.signal,
    credentials: 'same-origin',
  });
  if (res.status === 401) onUnauthorized();
  if (!res.ok) throw await errorFrom(res);
  const text = await res.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const getJson = <T = unknown>(path: string, signal?: AbortSignal) => send<T>({ method: 'GET', path }, { signal });
