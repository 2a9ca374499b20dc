// Who may do what. Pure: the REST layer asks before touching storage and, for node agents,
// checks `boundTo` against the object it loads (an agent may write only what runs on it).
import { LOCAL_VOLUME_NODE_LABEL } from '@coxswain/api';
import { UserInfo } from './tokens';

export interface RequestAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  /** The request's label selector (list/watch), for rules that pin a collection to the caller (Kubernetes' AuthorizeWithSelectors). */
  labelSelector?: string;
}

export interface Decision {
  allowed: boolean;
  reason?: string;
  /** Allowed only if the target object is bound to this node (spec.nodeName). */
  boundTo?: string;
  /** Allowed only if the created object has this name (a node registering itself). */
  createName?: string;
  /** Allowed only if a workload bound to this node references the object (node authorizer graph). */
  referencedFrom?: string;
  /** Allowed only for a PersistentVolume this node's local provisioner may create (checked against the body and its claim). */
  provisionOn?: string;
  /** Allowed only for a PersistentVolume the local provisioner made on this node (checked against the stored object). */
  provisionedOn?: string;
}

const READ = new Set(['get', 'list', 'watch']);
const WRITE = new Set(['create', 'update', 'patch']);
const allow = (boundTo?: string): Decision => ({ allowed: true, boundTo });
const deny = (reason: string): Decision => ({ allowed: false, reason });

const isWorkload = (a: RequestAttributes) => (a.group === '' && a.resource === 'pods') || (a.group === 'kubevirt.io' && a.resource === 'virtualmachineinstances');
const isBinding = (a: RequestAttributes) => isWorkload(a) && a.subresource === 'binding';
const isEvent = (a: RequestAttributes) => a.resource === 'events';
const isLease = (a: RequestAttributes) => a.group === 'coordination.k8s.io' && a.resource === 'leases';
const isSecret = (a: RequestAttributes) => a.group === '' && a.resource === 'secrets';
const isConfigMap = (a: RequestAttributes) => a.group === '' && a.resource === 'configmaps';
const isClaim = (a: RequestAttributes) => a.group === '' && a.resource === 'persistentvolumeclaims';
const isVolume = (a: RequestAttributes) => a.group === '' && a.resource === 'persistentvolumes';
const isStorageClass = (a: RequestAttributes) => a.group === 'storage.k8s.io' && a.resource === 'storageclasses';


/**
 * Storage for a node agent, Kubernetes' node authorizer rule plus what the built-in local
 * provisioner (folded into the agent) needs, and nothing more:
 * - claims: get by name (or a list/watch pinned to one name) only while a workload bound to the
 *   node uses the claim — the graph rule; never a collection; of writes only update/patch of
 *   such a claim's status (Kubernetes allows it; NodeRestriction, admitNodeClaimStatus, lets
 *   only status.conditions change — where the node reports a DataVolume import);
 * - volumes: get by name while bound to such a claim, or when provisioned by this node's local
 *   provisioner; list/watch only with the label selector `coxswain.io/node=<node>` (its own
 *   volumes); create only a local volume on this node for a claim selected to this node
 *   (checked against the body and the claim, like NodeRestriction); delete only its own;
 * - storage classes: read (cluster configuration, no secrets; the provisioner reads the
 *   reclaim policy).
 */
function nodeStorageRule(node: string, a: RequestAttributes): Decision | undefined {
  if (!isClaim(a) && !isVolume(a) && !isStorageClass(a)) return undefined;
  if (isClaim(a) && a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch' || a.verb === 'get') && a.name && a.namespace) return { allowed: true, referencedFrom: node };
  if (a.subresource !== undefined) return deny(`a node may not access ${a.resource}/${a.subresource}`);
  if (isStorageClass(a)) return READ.has(a.verb) ? allow() : deny('a node may only read storage classes');
  if (isClaim(a)) {
    if (!READ.has(a.verb)) return deny('a node may only read the claims of its workloads');
    if (!a.name || !a.namespace) return deny('can only read persistentvolumeclaims by name (get, or list/watch with fieldSelector metadata.name)');
    return { allowed: true, referencedFrom: node };
  }
  if ((a.verb === 'list' || a.verb === 'watch') && !a.name) {
    const own = `${LOCAL_VOLUME_NODE_LABEL}=${node}`;
    return (a.labelSelector ?? '').replace(/\s+/g, '') === own ? allow() : deny(`can only list persistentvolumes with labelSelector ${own}`);
  }
  if (READ.has(a.verb) && a.name) return { allowed: true, referencedFrom: node };
  if (a.verb === 'create') return { allowed: true, provisionOn: node };
  if (a.verb === 'delete' && a.name) return { allowed: true, provisionedOn: node };
  return deny('a node may only read the volumes of its claims and create and delete its own local volumes');
}
/** GET kube-public/cluster-info: what a joining machine reads before it trusts anything (token discovery). */
export const isClusterInfo = (a: RequestAttributes) =>
  a.verb === 'get' && a.group === '' && a.resource === 'configmaps' && a.subresource === undefined && a.namespace === 'kube-public' && a.name === 'cluster-info';
const isCsr = (a: RequestAttributes) => a.group === 'certificates.k8s.io' && a.resource === 'certificatesigningrequests';
/** Kubernetes' system:node-bootstrapper role (and the CSR part of system:node): create and read CSRs. */
const csrRequest = (a: RequestAttributes) => isCsr(a) && a.subresource === undefined && (a.verb === 'create' || READ.has(a.verb));

/**
 * Kubernetes' node authorizer for Secrets and ConfigMaps: read one object by name (a get, or a
 * list/watch whose fieldSelector is `metadata.name=<name>`), and only if a workload bound to
 * the node uses it; never a whole collection.
 */
function nodeConfigRule(node: string, a: RequestAttributes): Decision {
  if (!READ.has(a.verb) || a.subresource) return deny(`a node may only read ${a.resource}`);
  if (!a.name || !a.namespace) return deny(`can only read ${a.resource} by name (get, or list/watch with fieldSelector metadata.name)`);
  return { allowed: true, referencedFrom: node };
}

function nodeRules(user: UserInfo, a: RequestAttributes): Decision {
  const node = user.nodeName;
  if (!node) return deny('node identity without a node name');
  if (isSecret(a) || isConfigMap(a)) return nodeConfigRule(node, a);
  const storage = nodeStorageRule(node, a);
  if (storage) return storage;
  if (csrRequest(a)) return allow();
  if (a.subresource === undefined && READ.has(a.verb) && ['pods', 'virtualmachineinstances', 'nodes', 'namespaces', 'leases'].includes(a.resource)) return allow();
  // The node's service proxy and cluster DNS read every Service and EndpointSlice.
  if (a.subresource === undefined && READ.has(a.verb) && ['services', 'endpointslices'].includes(a.resource)) return allow();
  if (a.group === '' && a.resource === 'nodes') {
    if (a.verb === 'list' || a.verb === 'watch') return allow();
    if (a.verb === 'create' && !a.subresource) return { allowed: true, createName: node };
    if ((WRITE.has(a.verb) || a.verb === 'get') && a.name === node) return allow();
    return deny(`a node may only modify its own Node object "${node}"`);
  }
  if (isLease(a)) {
    if (a.namespace === 'kube-node-lease' && a.verb === 'create') return { allowed: true, createName: node };
    if (a.namespace === 'kube-node-lease' && a.name === node && (WRITE.has(a.verb) || a.verb === 'get')) return allow();
    return deny(`a node may only write its own Lease kube-node-lease/${node}`);
  }
  if (isEvent(a) && (WRITE.has(a.verb) || READ.has(a.verb))) return allow();
  if (isWorkload(a)) {
    if (a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch' || a.verb === 'get')) return allow(node);
    if (a.subresource === undefined && a.verb === 'delete') return allow(node);
    if (a.subresource === 'eviction' && a.verb === 'create') return allow(node);
  }
  if (a.group === 'metrics.k8s.io') return allow();
  return deny('node agents may only read workloads and write their own Node, Lease and the status of workloads bound to them');
}

export function authorize(user: UserInfo, a: RequestAttributes): Decision {
  const binding = isBinding(a);
  if (binding && a.verb === 'create' && user.role !== 'scheduler') return deny('only the scheduler may bind workloads to nodes');
  switch (user.role) {
    case 'admin':
      return allow();
    case 'controller':
      return a.subresource === 'exec' || a.subresource === 'console' || a.subresource === 'attach' || a.subresource === 'portforward' ? deny('controllers do not exec') : allow();
    case 'scheduler':
      if (isSecret(a)) return deny('the scheduler does not read secrets');
      if (READ.has(a.verb) && !a.subresource) return allow();
      if (binding) return allow();
      if (isWorkload(a) && a.subresource === 'status' && WRITE.has(a.verb)) return allow();
      if (isEvent(a) || isLease(a)) return allow();
      // WaitForFirstConsumer: the scheduler records the chosen node on the claim (selected-node).
      if (isClaim(a) && !a.subresource && (a.verb === 'update' || a.verb === 'patch')) return allow();
      return deny('the scheduler may only read, bind, write workload status, claims\' selected node, events and its lease');
    case 'viewer':
      // RBAC's built-in `view` role leaves Secrets out; RBAC denials carry no reason.
      if (isSecret(a)) return { allowed: false };
      if (READ.has(a.verb) && (a.subresource === undefined || a.subresource === 'log' || a.subresource === 'status' || a.subresource === 'scale')) return allow();
      return deny('viewers have read-only access');
    case 'node':
      return nodeRules(user, a);
    case 'bootstrapper':
      return csrRequest(a) ? allow() : deny('a bootstrap token may only create and read CertificateSigningRequests');
    case 'anonymous':
      // kubeadm's kubeadm:bootstrap-signer-clusterinfo Role, bound to system:anonymous; RBAC denials carry no reason.
      return isClusterInfo(a) ? allow() : { allowed: false };
  }
}
