import { createServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';

export interface ClientCertServer {
  url: string;
  /** The common name of the client certificate each request came with ('undefined' without one). */
  seen: string[];
  /** TLS connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/**
 * A loopback HTTPS server that asks for (but does not require) a client certificate, records
 * each request's certificate name and counts connections; it answers every request with a
 * Namespace after `delayMs`. For tests of the client's TLS settings.
 */
export async function startClientCertServer(serving: { cert: string; key: string }, delayMs = 0): Promise<ClientCertServer> {
  const seen: string[] = [];
  let connections = 0;
  const server = createServer({ ...serving, requestCert: true, rejectUnauthorized: false }, (req, res) => {
    seen.push(String((req.socket as TLSSocket).getPeerCertificate().subject?.CN));
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"kind":"Namespace","apiVersion":"v1","metadata":{"name":"default"}}');
    }, delayMs);
  });
  server.on('secureConnection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    connections: () => connections,
    async close() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
