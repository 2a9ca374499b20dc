/** The reference string does not follow the distribution reference grammar. */
export class InvalidReferenceError extends Error {
  override readonly name = 'InvalidReferenceError';
  constructor(readonly reference: string, reason: string) {
    super(`invalid image reference "${reference}": ${reason}`);
  }
}

/** What one registry endpoint said when asked for an image. */
export interface EndpointAttempt {
  /** Base URL tried, e.g. http://127.0.0.1:5000 */
  endpoint: string;
  /** 'not-found' (404 / MANIFEST_UNKNOWN / NAME_UNKNOWN), 'denied' (401/403 after auth), 'unreachable' (network). */
  outcome: 'not-found' | 'denied' | 'unreachable';
  detail: string;
}

function describeAttempts(attempts: EndpointAttempt[]): string {
  return attempts.map((a) => `${a.endpoint} (${a.outcome}: ${a.detail})`).join(', ');
}

/** No registry that answered has the image (or every answering one refused it). */
export class ImageNotFoundError extends Error {
  override readonly name = 'ImageNotFoundError';
  constructor(readonly reference: string, readonly attempts: EndpointAttempt[] = []) {
    super(
      attempts.length
        ? `image "${reference}" not found; tried ${describeAttempts(attempts)}`
        : `image "${reference}" is not in the local image store`,
    );
  }
}

/** Every registry endpoint failed at the network level (connection, DNS, TLS, timeout, 5xx). */
export class RegistryUnavailableError extends Error {
  override readonly name = 'RegistryUnavailableError';
  constructor(readonly reference: string, readonly attempts: EndpointAttempt[]) {
    super(`no registry reachable for "${reference}"; tried ${describeAttempts(attempts)}`);
  }
}

/** Content did not hash to the digest (or size) it was fetched by; nothing was committed. */
export class DigestMismatchError extends Error {
  override readonly name = 'DigestMismatchError';
  constructor(readonly expected: string, readonly actual: string, readonly source: string) {
    super(`digest mismatch for ${source}: expected ${expected}, got ${actual}`);
  }
}

/** The registry answered, but not in a way the pull can use (bad manifest, no linux/amd64, ...). */
export class ImagePullError extends Error {
  override readonly name: string = 'ImagePullError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A layer holds something an image must not: a path out of its root, a device node, ... */
export class LayerRejectedError extends ImagePullError {
  override readonly name = 'LayerRejectedError';
  constructor(readonly layer: string, readonly reason: string) {
    super(`layer ${layer} rejected: ${reason}`);
  }
}

/** A manifest, config or layer is bigger than the node allows (checked while streaming). */
export class ImageTooLargeError extends ImagePullError {
  override readonly name = 'ImageTooLargeError';
  constructor(readonly what: string, readonly limit: number) {
    super(`${what} exceeds the limit of ${formatBytes(limit)}`);
  }
}

function formatBytes(n: number): string {
  for (const [unit, size] of [['GiB', 2 ** 30], ['MiB', 2 ** 20], ['KiB', 2 ** 10]] as const) {
    if (n >= size && n % size === 0) return `${n / size} ${unit}`;
  }
  return `${n} bytes`;
}
