// Kubernetes `Status` errors. Every failure the API answers is one of these, built by the
// helpers below so codes, reasons and message wording match what kubectl expects.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface Status {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Success' | 'Failure';
  message?: string;
  reason?: string;
  details?: StatusDetails;
  code: number;
}

/** Cause reasons from k8s.io/apimachinery/pkg/util/validation/field. */
export const CauseReason = {
  Required: 'FieldValueRequired',
  Invalid: 'FieldValueInvalid',
  NotSupported: 'FieldValueNotSupported',
  Duplicate: 'FieldValueDuplicate',
  Forbidden: 'FieldValueForbidden',
  TooLong: 'FieldValueTooLong',
  TooMany: 'FieldValueTooMany',
  NotFound: 'FieldValueNotFound',
  Unknown: 'FieldValueUnknown',
} as const;

/** A Status carried as an exception through layers that cannot return it as a value. */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  constructor(readonly status: Status) {
    super(status.message ?? status.reason ?? `HTTP ${status.code}`);
  }
  get code(): number {
    return this.status.code;
  }
  get reason(): string {
    return this.status.reason ?? '';
  }
}

export function isStatus(value: unknown): value is Status {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'Status';
}

export interface ResourceRef {
  /** Lower-case plural with group, as Kubernetes words it: `pods`, `deployments.apps`. */
  resource: string;
  name?: string;
  kind?: string;
  group?: string;
}

function failure(code: number, reason: string, message: string, details?: StatusDetails): StatusError {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code };
  if (details) status.details = details;
  return new StatusError(status);
}

function detailsOf(ref: ResourceRef): StatusDetails {
  const kindWord = ref.resource.split('.')[0];
  const details: StatusDetails = { kind: ref.kind ?? kindWord };
  if (ref.name !== undefined) details.name = ref.name;
  if (ref.group) details.group = ref.group;
  return details;
}

export const badRequest = (message: string, causes?: StatusCause[]): StatusError =>
  failure(400, 'BadRequest', message, causes?.length ? { causes } : undefined);

export const unauthorized = (message = 'Unauthorized'): StatusError => failure(401, 'Unauthorized', message);

export const forbidden = (user: string, verb: string, ref: ResourceRef, namespace?: string, why?: string): StatusError =>
  failure(
    403,
    'Forbidden',
    `${ref.resource}${ref.name ? ` "${ref.name}"` : ''} is forbidden: User "${user}" cannot ${verb} resource "${ref.resource.split('.')[0]}"` +
      `${ref.group ? ` in API group "${ref.group}"` : ' in API group ""'}` +
      `${namespace ? ` in the namespace "${namespace}"` : namespace === undefined ? ' at the cluster scope' : ''}` +
      `${why ? `: ${why}` : ''}`,
    detailsOf(ref),
  );

export const notFound = (ref: ResourceRef): StatusError =>
  failure(404, 'NotFound', `${ref.resource} "${ref.name ?? ''}" not found`, detailsOf(ref));

/** 404 for a path that names no resource at all. */
export const pathNotFound = (path: string): StatusError => failure(404, 'NotFound', `the server could not find the requested resource (${path})`);

export const methodNotAllowed = (verb: string, what: string): StatusError =>
  failure(405, 'MethodNotAllowed', `the server does not allow this method on the requested resource: ${verb} ${what}`);

export const notAcceptable = (message: string): StatusError => failure(406, 'NotAcceptable', message);

export const alreadyExists = (ref: ResourceRef): StatusError =>
  failure(409, 'AlreadyExists', `${ref.resource} "${ref.name ?? ''}" already exists`, detailsOf(ref));

export const conflict = (ref: ResourceRef, why: string): StatusError =>
  failure(409, 'Conflict', `Operation cannot be fulfilled on ${ref.resource} "${ref.name ?? ''}": ${why}`, detailsOf(ref));

/** The usual optimistic-concurrency conflict message. */
export const staleConflict = (ref: ResourceRef): StatusError =>
  conflict(ref, 'the object has been modified; please apply your changes to the latest version and try again');

export const gone = (message: string): StatusError => failure(410, 'Expired', message);

/** 410 for a watch or list that asks for a compacted resourceVersion. */
export const expired = (resourceVersion: string | number, oldest?: string | number): StatusError =>
  gone(`too old resource version: ${resourceVersion}${oldest !== undefined ? ` (${oldest})` : ''}`);

export const requestEntityTooLarge = (limitBytes: number): StatusError =>
  failure(413, 'RequestEntityTooLarge', `the request body is larger than the limit of ${limitBytes} bytes`);

export const unsupportedMediaType = (contentType: string): StatusError =>
  failure(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/yaml, application/merge-patch+json, application/json-patch+json, application/strategic-merge-patch+json (got ${contentType})`);

/** 422 Invalid; the message lists the causes as kubectl prints them. */
export const invalid = (ref: ResourceRef & { kind: string }, causes: StatusCause[]): StatusError => {
  const list = causes.map((c) => (c.field ? `${c.field}: ${c.message}` : `${c.message}`));
  const summary = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
  return failure(422, 'Invalid', `${ref.kind} "${ref.name ?? ''}" is invalid: ${summary}`, { ...detailsOf(ref), causes });
};

export const tooManyRequests = (message: string, retryAfterSeconds = 1): StatusError =>
  failure(429, 'TooManyRequests', message, { retryAfterSeconds });

/**
 * 500 ServerTimeout with Retry-After, as Kubernetes answers when storage could not complete an
 * operation for a passing reason (etcd lost its leader, timed out): clients that honour
 * Retry-After (client-go, ours) try again; a create retried that way may meet its own first try
 * as AlreadyExists.
 */
export const serverTimeout = (qualifiedResource: string, operation: string, retryAfterSeconds = 2): StatusError => {
  const [resource, ...group] = qualifiedResource.split('.');
  return failure(500, 'ServerTimeout', `The ${operation} operation against ${qualifiedResource} could not be completed at this time, please try again.`, {
    ...(group.length ? { group: group.join('.') } : {}),
    kind: resource,
    name: operation,
    retryAfterSeconds,
  });
};

export const internalError = (message: string): StatusError =>
  failure(500, 'InternalError', `Internal error occurred: ${message}`);

export const notImplemented = (message: string): StatusError => failure(501, 'NotImplemented', message);

export const serviceUnavailable = (message: string): StatusError => failure(503, 'ServiceUnavailable', message);

/** The Status a successful DELETE may answer with. */
export function successStatus(details?: StatusDetails): Status {
  const status: Status = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 200 };
  if (details) status.details = details;
  return status;
}

/** Converts any thrown value into a Status (unknown errors become 500). */
export function toStatus(error: unknown): Status {
  if (error instanceof StatusError) return error.status;
  if (isStatus(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return internalError(message).status;
}

/** A cause with the field path and the reason for a bad value. */
export function fieldCause(reason: string, field: string, message: string): StatusCause {
  return { reason, field, message };
}
