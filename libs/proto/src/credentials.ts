import * as grpc from '@grpc/grpc-js';

export interface TlsFiles {
  /** PEM contents, not paths. */
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** Mutual TLS for a node agent's server: only clients with a certificate from `ca` get in. */
export function serverCredentials(tls: TlsFiles | undefined): grpc.ServerCredentials {
  if (!tls) return grpc.ServerCredentials.createInsecure();
  return grpc.ServerCredentials.createSsl(tls.ca, [{ cert_chain: tls.cert, private_key: tls.key }], true);
}

export interface RotatingServerCredentials {
  credentials: grpc.ServerCredentials;
  /** New connections present this pair from now on; connections (and streams) already open keep theirs. */
  update(pair: { cert: Buffer; key: Buffer }): void;
}

/**
 * Mutual TLS whose serving pair can be replaced while the server runs (the kubelet's rotated
 * serving certificate): grpc-js swaps the listener's secure context on each identity update,
 * so nothing is rebound and calls in flight are not dropped.
 */
export function rotatingServerCredentials(tls: TlsFiles): RotatingServerCredentials {
  const identityListeners = new Set<(update: { certificate: Buffer; privateKey: Buffer } | null) => void>();
  const caListeners = new Set<(update: { caCertificate: Buffer } | null) => void>();
  let identity = { certificate: tls.cert, privateKey: tls.key };
  // grpc-js registers the server's watcher only after adding these listeners: answer on the
  // next tick, or the first pair would reach no one and every connection would be dropped.
  const provider: grpc.experimental.CertificateProvider = {
    addCaCertificateListener: (listener) => {
      caListeners.add(listener);
      queueMicrotask(() => caListeners.has(listener) && listener({ caCertificate: tls.ca }));
    },
    removeCaCertificateListener: (listener) => void caListeners.delete(listener),
    addIdentityCertificateListener: (listener) => {
      identityListeners.add(listener);
      queueMicrotask(() => identityListeners.has(listener) && listener(identity));
    },
    removeIdentityCertificateListener: (listener) => void identityListeners.delete(listener),
  };
  return {
    credentials: grpc.experimental.createCertificateProviderServerCredentials(provider, provider, true),
    update(pair) {
      identity = { certificate: pair.cert, privateKey: pair.key };
      for (const listener of identityListeners) listener(identity);
    },
  };
}

/** Client side of the same mutual TLS. */
export function clientCredentials(tls: TlsFiles | undefined): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(tls.ca, tls.key, tls.cert);
}

/**
 * Lets in only callers whose verified client certificate has one of these common names (the
 * API server's identity): mutual TLS proves the CA signed the caller, this proves who it is,
 * so one node's certificate cannot drive another node's agent. Others get PERMISSION_DENIED.
 */
export function requireClientNames(allowed: readonly string[]): grpc.ServerInterceptor {
  return (_method, call) =>
    new grpc.ServerInterceptingCall(call, {
      start: (next) => {
        const cn = call.getAuthContext()?.sslPeerCertificate?.subject?.CN;
        const name = Array.isArray(cn) ? cn[0] : cn;
        if (name && allowed.includes(name)) return next({});
        // Answer at once; nothing from this caller reaches a handler.
        next({ onReceiveMetadata: () => undefined, onReceiveMessage: () => undefined, onReceiveHalfClose: () => undefined });
        call.sendStatus({ code: grpc.status.PERMISSION_DENIED, details: `client ${JSON.stringify(name ?? '')} is not allowed to call the node agent (allowed: ${allowed.join(', ')})` });
      },
    });
}
