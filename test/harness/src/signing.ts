// The smallest control plane that issues node certificates: etcd, an API server that takes
// client certificates and bootstrap tokens, and a controller-manager running only the CSR
// controllers (approver and signer, with the cluster CA and a chosen signing duration).
import { join } from 'node:path';
import { clientFromKubeconfig, KubeClient } from '@coxswain/client';
import { startApiServer, RunningApiServerHarness } from './apiserver';
import { appArgs } from './components';
import { startEtcd, RunningEtcd } from './etcd';
import { ClusterPki, makeClusterPki } from './pki';
import { freePort } from './ports';
import { ManagedProcess, spawnManaged } from './process';

export interface SigningControlPlane {
  etcd: RunningEtcd;
  pki: ClusterPki;
  api: RunningApiServerHarness;
  controllers: ManagedProcess;
  admin: KubeClient;
  stop(): Promise<void>;
}

export async function startSigningControlPlane(dir: string, options: { controllers: string[]; signingDuration: string }): Promise<SigningControlPlane> {
  const etcd = await startEtcd();
  const pki = makeClusterPki(join(dir, 'pki'), ['127.0.0.1']);
  const api = await startApiServer({
    etcdEndpoint: etcd.endpoint,
    nodes: [],
    tlsFiles: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca },
    args: ['--client-ca-file', pki.ca, '--enable-bootstrap-token-auth'],
  });
  const controllers = spawnManaged(process.execPath, [
    ...(await appArgs('controller-manager')),
    '--kubeconfig', api.kubeconfigPath('controller'),
    '--metrics-port', String(await freePort()),
    '--leader-elect', 'false',
    '--controllers', options.controllers.join(','),
    '--cluster-signing-cert-file', pki.ca,
    '--cluster-signing-key-file', join(pki.dir, 'ca.key'),
    '--cluster-signing-duration', options.signingDuration,
  ], { env: { ...process.env, LOG_LEVEL: 'warn' } });
  const admin = clientFromKubeconfig({ path: api.kubeconfigPath('admin') }).client;
  return {
    etcd, pki, api, controllers, admin,
    async stop() {
      await admin.destroy();
      await controllers.stop();
      await api.stop();
      await etcd.stop();
    },
  };
}
