// A cluster's certificates, made with openssl: a CA, one serving certificate for every
// address the API server and node agents answer on, and the API server's client certificate
// for node agents (mutual TLS on their gRPC API). `ca.key` also signs the nodes' own
// certificates (the controller-manager's --cluster-signing-key-file).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ClusterPki {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
}

export function makeClusterPki(dir: string, ips: string[], dnsNames: string[] = ['localhost']): ClusterPki {
  mkdirSync(dir, { recursive: true });
  const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const files: ClusterPki = {
    dir,
    ca: join(dir, 'ca.crt'),
    serverCert: join(dir, 'server.crt'),
    serverKey: join(dir, 'server.key'),
    clientCert: join(dir, 'client.crt'),
    clientKey: join(dir, 'client.key'),
  };
  if (!existsSync(files.ca)) {
    ssl('req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '3650', '-subj', '/CN=coxswain-ca', '-keyout', 'ca.key', '-out', 'ca.crt');
  }
  const sans = [...new Set(['127.0.0.1', ...ips])].map((ip) => `IP:${ip}`).concat(dnsNames.map((d) => `DNS:${d}`)).join(',');
  writeFileSync(join(dir, 'server.ext'), `subjectAltName=${sans}\nextendedKeyUsage=serverAuth,clientAuth\n`);
  writeFileSync(join(dir, 'client.ext'), 'extendedKeyUsage=clientAuth\n');
  // The API server's client identity toward node agents is Kubernetes' kube-apiserver-kubelet-client:
  // agents admit only that name (--authorized-client-name).
  for (const [name, cn] of [['server', 'coxswain'], ['client', 'kube-apiserver-kubelet-client']]) {
    ssl('req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-subj', `/CN=${cn}`, '-keyout', `${name}.key`, '-out', `${name}.csr`);
    ssl('x509', '-req', '-in', `${name}.csr`, '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '825', '-extfile', `${name}.ext`, '-out', `${name}.crt`);
  }
  return files;
}
