// Admission for what only cluster administrators may ask of a node, checked on every write of
// a pod or a pod template (Deployments, Jobs, … so a controller never creates what its
// author could not): privileged containers and the host's network (403; Pod Security's baseline
// level forbids both) and sysctls outside Kubernetes' safe set
// (422). Any role: hostPorts the control plane listens on (422). Pure.
import { CauseReason, isSafeSysctl, podSpecsOf, StatusCause } from '@coxswain/api';
import { Role } from '../auth/tokens';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Roles whose pods may be privileged: administrators, and controllers acting on their templates. */
const TRUSTED: ReadonlySet<Role> = new Set<Role>(['admin', 'controller']);

/** Ports of the control plane and the node agent (defaults): API server, etcd, agent gRPC and metrics. */
export const RESERVED_HOST_PORTS: ReadonlyMap<number, string> = new Map([
  [6443, 'the API server'],
  [2379, 'etcd clients'],
  [2380, 'etcd peers'],
  [10250, 'the node agent\'s gRPC API'],
  [10255, 'the node agent\'s metrics'],
]);

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): Obj[] => (Array.isArray(v) ? v.filter(isObj) : []);

export interface PodSecurityDecision {
  /** 403: privileged containers or the host's network asked by a role that may not. */
  forbidden?: string;
  /** 422 causes. */
  causes: StatusCause[];
}

export function admitPodSecurity(role: Role, kind: string, obj: Obj): PodSecurityDecision {
  const trusted = TRUSTED.has(role);
  const causes: StatusCause[] = [];
  const privileged: string[] = [];
  const hostNetwork: string[] = [];
  for (const { spec, path } of podSpecsOf(kind, obj)) {
    if (spec.hostNetwork === true) hostNetwork.push(`${path}.hostNetwork=true`);
    for (const key of ['initContainers', 'containers', 'ephemeralContainers']) {
      list(spec[key]).forEach((c, i) => {
        if (c.securityContext?.privileged === true) privileged.push(`container "${c.name}" sets securityContext.privileged=true`);
        list(c.ports).forEach((p, j) => {
          const owner = RESERVED_HOST_PORTS.get(p.hostPort);
          if (owner) causes.push({ reason: CauseReason.Forbidden, field: `${path}.${key}[${i}].ports[${j}].hostPort`, message: `Forbidden: port ${p.hostPort} is reserved for ${owner}` });
        });
      });
    }
    if (!trusted) {
      list(spec.securityContext?.sysctls).forEach((s, i) => {
        if (typeof s.name === 'string' && !isSafeSysctl(s.name)) {
          causes.push({ reason: CauseReason.Forbidden, field: `${path}.securityContext.sysctls[${i}].name`, message: `Forbidden: unsafe sysctl "${s.name}" is reserved to cluster administrators (safe sysctls are allowed)` });
        }
      });
    }
  }
  const decision: PodSecurityDecision = { causes };
  const refused = [
    ...(privileged.length ? [`privileged containers are reserved to cluster administrators (${privileged.join(', ')})`] : []),
    // A pod in the node's network namespace reaches every port the node listens on, loopback included.
    ...(hostNetwork.length ? [`the host's network is reserved to cluster administrators (${hostNetwork.join(', ')})`] : []),
  ];
  if (!trusted && refused.length) decision.forbidden = refused.join('; ');
  return decision;
}
