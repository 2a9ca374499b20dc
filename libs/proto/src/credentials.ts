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
