// The certificate controllers Kubernetes' controller-manager runs for TLS bootstrapping:
// csrapproving (auto-approves kubelet CSRs, plan.ts says which), csrsigning (issues approved
// kubelet CSRs with the cluster CA), tokencleaner (deletes expired bootstrap tokens) and
// bootstrapsigner (signs kube-public/cluster-info with each bootstrap token, for token discovery).
import { readFileSync } from 'node:fs';
import { bootstrapTokenExpiry, BOOTSTRAP_TOKEN_NAMESPACE, certificateValidity, CLUSTER_INFO_NAME, CLUSTER_INFO_NAMESPACE, ConfigMap, CertificateSigningRequest, encodeBytes, Node, Secret, signCertificate } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, Informer, isNotFound, splitObjectKey } from '@coxswain/client';
import { Controller, ControllerDeps } from '../framework/controller';
import { planApproval, planClusterInfoSignatures, planSigning, planTokenCleanup } from './plan';

export const CSR_APPROVING_CONTROLLER = 'csrapproving';
export const CSR_SIGNING_CONTROLLER = 'csrsigning';
export const TOKEN_CLEANER_CONTROLLER = 'tokencleaner';
export const BOOTSTRAP_SIGNER_CONTROLLER = 'bootstrapsigner';

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

export class CsrApprovingController extends Controller {
  private readonly csrs: Informer<CertificateSigningRequest>;
  private readonly nodes: Informer<Node>;

  constructor(deps: ControllerDeps) {
    super(CSR_APPROVING_CONTROLLER, deps, 1);
    this.csrs = deps.informers.for<CertificateSigningRequest>(R.CertificateSigningRequest);
    this.nodes = deps.informers.for<Node>(R.Node);
  }

  register(): void {
    this.csrs.addEventHandler({ onAdd: (c) => this.enqueue(c), onUpdate: (_o, c) => this.enqueue(c) });
    // A serving request can arrive before its Node (or its addresses) is in the cache: look
    // again at that node's pending requests when the Node changes.
    const nodeChanged = (node: Node) => {
      for (const csr of this.csrs.store.list()) if (csr.spec?.username === `system:node:${node.metadata.name}` && !csr.status?.conditions?.length) this.enqueue(csr);
    };
    this.nodes.addEventHandler({ onAdd: nodeChanged, onUpdate: (_o, n) => nodeChanged(n) });
  }

  protected async reconcile(key: string): Promise<void> {
    const csr = this.csrs.store.get(key);
    if (!csr) return;
    const decision = planApproval(csr, (name) => this.nodes.store.get(name));
    if (!decision.approve) {
      this.logger.debug({ csr: key, reason: decision.reason }, 'not auto-approved');
      return;
    }
    const now = rfc3339(new Date(this.deps.clock.now()));
    const approved = { ...csr, status: { ...csr.status, conditions: [...(csr.status?.conditions ?? []), { type: 'Approved', status: 'True' as const, reason: 'AutoApproved', message: decision.message, lastUpdateTime: now, lastTransitionTime: now }] } };
    await this.deps.client.updateSubresource(R.CertificateSigningRequest, csr.metadata.name!, 'approval', approved);
    this.logger.info({ csr: key, requester: csr.spec.username }, decision.message);
  }
}

export interface ClusterSigning {
  certFile: string;
  keyFile: string;
  /** Longest lifetime a certificate gets (Kubernetes' --cluster-signing-duration, 1 year). */
  durationMs: number;
}

export class CsrSigningController extends Controller {
  private readonly csrs: Informer<CertificateSigningRequest>;
  private readonly ca: { certPem: string; keyPem: string; notAfter: Date };

  constructor(deps: ControllerDeps, private readonly signing: ClusterSigning) {
    super(CSR_SIGNING_CONTROLLER, deps, 1);
    this.csrs = deps.informers.for<CertificateSigningRequest>(R.CertificateSigningRequest);
    const certPem = readFileSync(signing.certFile, 'utf8');
    this.ca = { certPem, keyPem: readFileSync(signing.keyFile, 'utf8'), notAfter: certificateValidity(certPem).notAfter };
  }

  register(): void {
    this.csrs.addEventHandler({ onAdd: (c) => this.enqueue(c), onUpdate: (_o, c) => this.enqueue(c) });
  }

  protected async reconcile(key: string): Promise<void> {
    const csr = this.csrs.store.get(key);
    if (!csr) return;
    const now = new Date(this.deps.clock.now());
    const decision = planSigning(csr, now, this.signing.durationMs, this.ca.notAfter);
    if (decision.action === 'skip') return;
    let status: CertificateSigningRequest['status'];
    if (decision.action === 'fail') {
      const at = rfc3339(now);
      status = { ...csr.status, conditions: [...(csr.status?.conditions ?? []), { type: 'Failed', status: 'True', reason: 'SignerValidationFailure', message: decision.message, lastUpdateTime: at, lastTransitionTime: at }] };
      this.recorder.event(csr, 'Warning', 'SignerValidationFailure', decision.message);
    } else {
      const pem = await signCertificate(decision.csr, this.ca, decision);
      status = { ...csr.status, certificate: encodeBytes(pem) };
    }
    await this.deps.client.updateStatus(R.CertificateSigningRequest, { ...csr, status });
    this.logger.info({ csr: key, signer: csr.spec.signerName, outcome: decision.action === 'fail' ? 'failed' : 'issued' }, 'certificate request handled');
  }
}

export class TokenCleaner extends Controller {
  private readonly secrets: Informer<Secret>;

  constructor(deps: ControllerDeps) {
    super(TOKEN_CLEANER_CONTROLLER, deps, 1);
    this.secrets = deps.informers.for<Secret>(R.Secret, BOOTSTRAP_TOKEN_NAMESPACE);
  }

  register(): void {
    this.secrets.addEventHandler({ onAdd: (s) => this.enqueue(s), onUpdate: (_o, s) => this.enqueue(s) });
  }

  protected async reconcile(key: string): Promise<void> {
    const secret = this.secrets.store.get(key);
    if (!secret) return;
    const decision = planTokenCleanup(secret, new Date(this.deps.clock.now()));
    if (decision.action === 'keep') {
      if (decision.recheckInMs !== undefined) this.enqueueAfter(key, decision.recheckInMs);
      return;
    }
    const { namespace, name } = splitObjectKey(key);
    try {
      await this.deps.client.delete(R.Secret, name, { namespace, preconditions: { uid: secret.metadata.uid } });
      this.logger.info({ secret: key, reason: decision.reason }, 'deleted expired bootstrap token');
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

export class BootstrapSigner extends Controller {
  private readonly secrets: Informer<Secret>;
  private readonly configMaps: Informer<ConfigMap>;
  private readonly key = `${CLUSTER_INFO_NAMESPACE}/${CLUSTER_INFO_NAME}`;

  constructor(deps: ControllerDeps) {
    super(BOOTSTRAP_SIGNER_CONTROLLER, deps, 1);
    this.secrets = deps.informers.for<Secret>(R.Secret, BOOTSTRAP_TOKEN_NAMESPACE);
    this.configMaps = deps.informers.for<ConfigMap>(R.ConfigMap, CLUSTER_INFO_NAMESPACE);
  }

  register(): void {
    const again = () => this.enqueue(this.key);
    this.secrets.addEventHandler({ onAdd: again, onUpdate: again, onDelete: again });
    this.configMaps.addEventHandler({ onAdd: again, onUpdate: again });
  }

  protected async reconcile(): Promise<void> {
    const info = this.configMaps.store.get(this.key);
    if (!info) return;
    const now = new Date(this.deps.clock.now());
    const tokens = this.secrets.store.list();
    const data = planClusterInfoSignatures(info.data, tokens, now);
    // A token that expires drops its signature then (the cleaner deletes it as well).
    const next = tokens.map((t) => bootstrapTokenExpiry(t)?.getTime() ?? Infinity).filter((t) => t > now.getTime()).sort((a, b) => a - b)[0];
    if (next !== undefined && Number.isFinite(next)) this.enqueueAfter(this.key, next - now.getTime() + 1);
    if (!data) return;
    await this.deps.client.update(R.ConfigMap, { ...info, data });
    this.logger.info({ signatures: Object.keys(data).filter((k) => k.startsWith('jws-kubeconfig-')).length }, 'cluster-info signatures updated');
  }
}
