import * as grpc from '@grpc/grpc-js';

export interface TlsFiles {
  /** PEM contents, not paths. */
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

/** The API server's side of the agent's mutual TLS (the agent's is in ./server). */
export function clientCredentials(tls: TlsFiles | undefined): grpc.ChannelCredentials {
  if (!tls) return grpc.credentials.createInsecure();
  return grpc.credentials.createSsl(tls.ca, tls.key, tls.cert);
}
