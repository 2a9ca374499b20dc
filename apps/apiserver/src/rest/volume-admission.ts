// Admission for host access through volumes: a hostPath volume reaches the node's filesystem,
// so only the admin role may create workloads that use one (Kubernetes leaves this to Pod
// Security admission, whose baseline level forbids hostPath; the answer has that shape).
// Controllers may, since they only copy templates an admin already created.
import { forbidden, KubeObject, podSpecsOf, qualifiedResource, ResourceInfo, StatusCause, StatusError } from '@coxswain/api';
import { UserInfo } from '../auth/tokens';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The hostPath volumes of an object, as causes naming each field. */
export function hostPathCauses(obj: Obj): StatusCause[] {
  const causes: StatusCause[] = [];
  for (const { path, spec } of podSpecsOf(obj.kind, obj)) {
    (Array.isArray(spec.volumes) ? spec.volumes : []).forEach((v: Obj, i: number) => {
      if (isObj(v) && v.hostPath !== undefined) causes.push({ reason: 'FieldValueForbidden', field: `${path}.volumes[${i}].hostPath`, message: `Forbidden: hostPath volumes (volume "${v.name}") are allowed only for the admin role` });
    });
  }
  return causes;
}

/** Throws 403 Forbidden (with causes) when a non-admin writes a workload with a hostPath volume. */
export function admitHostPath(user: UserInfo, resource: ResourceInfo, obj: KubeObject, verb: 'create' | 'update'): void {
  if (user.role === 'admin' || user.role === 'controller') return;
  const causes = hostPathCauses(obj as Obj);
  if (!causes.length) return;
  const error: StatusError = forbidden(user.name, verb, { resource: qualifiedResource(resource), name: obj.metadata?.name, group: resource.group }, obj.metadata?.namespace, `hostPath volumes are allowed only for the admin role (${causes.map((c) => c.field).join(', ')})`);
  error.status.details = { ...(error.status.details ?? {}), causes };
  throw error;
}
