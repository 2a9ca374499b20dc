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
