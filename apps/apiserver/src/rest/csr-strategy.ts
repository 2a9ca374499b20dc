// CertificateSigningRequest strategy (Kubernetes' certificates registry): on create the
// requester's identity is stamped into spec; the status subresource may add conditions other
// than Approved/Denied and the certificate; the approval subresource may only add Approved or
// Denied. Both keep what is already decided, and condition times are filled in.
import { checkCsrStatusUpdate, invalid, KubeObject } from '@coxswain/api';
import { UserInfo } from '../auth/tokens';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const CSR_KIND = 'CertificateSigningRequest';
const APPROVAL = new Set(['Approved', 'Denied']);

/** spec.username/uid/groups come from who asks, never from the body. */
export function stampRequester(obj: Obj, user: UserInfo): void {
  obj.spec = { ...(obj.spec ?? {}), username: user.name, uid: user.uid, groups: [...new Set([...user.groups, 'system:authenticated'])] };
  delete obj.spec.extra;
}

/** A main-resource update keeps the stamped requester (a client need not echo it back). */
export function carryRequester(previous: KubeObject, desired: KubeObject): KubeObject {
  const out = structuredClone(desired) as Obj;
  const spec = (previous as Obj).spec ?? {};
  out.spec = { ...(out.spec ?? {}) };
  for (const key of ['username', 'uid', 'groups', 'extra']) {
    if (spec[key] === undefined) delete out.spec[key];
    else out.spec[key] = spec[key];
  }
  return out as KubeObject;
}

const rfc3339 = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

function stamp(conditions: Obj[], previous: Obj[], now: Date): Obj[] {
  return conditions.map((c) => {
    const before = previous.find((p) => p.type === c.type);
    const out = { ...c };
    out.lastUpdateTime ??= before?.lastUpdateTime ?? rfc3339(now);
    out.lastTransitionTime ??= before && before.status === c.status ? (before.lastTransitionTime ?? rfc3339(now)) : rfc3339(now);
    return out;
  });
}

/** The stored object after a write to `subresource` (status or approval); 422 when it breaks the rules. */
export function csrSubresourceUpdate(subresource: string | undefined, previous: KubeObject, desired: KubeObject, now: Date): KubeObject {
  const old = (previous as Obj).status ?? {};
  const want = (desired as Obj).status ?? {};
  const oldConditions: Obj[] = Array.isArray(old.conditions) ? old.conditions : [];
  const wantConditions: Obj[] = Array.isArray(want.conditions) ? want.conditions : [];
  let status: Obj;
  if (subresource === 'approval') {
    const conditions = [...oldConditions.filter((c) => !APPROVAL.has(c.type)), ...wantConditions.filter((c) => APPROVAL.has(c?.type))];
    status = { ...old, conditions: stamp(conditions, oldConditions, now) };
  } else {
    const conditions = [...oldConditions.filter((c) => APPROVAL.has(c.type)), ...wantConditions.filter((c) => !APPROVAL.has(c?.type))];
    status = { ...want, conditions: stamp(conditions, oldConditions, now) };
  }
  if (!status.conditions.length) delete status.conditions;
  if (status.certificate === undefined || status.certificate === '') delete status.certificate;
  const causes = checkCsrStatusUpdate(old, status);
  if (causes.length) throw invalid({ kind: CSR_KIND, group: 'certificates.k8s.io', resource: 'certificatesigningrequests', name: previous.metadata.name }, causes);
  const out = structuredClone(previous) as Obj;
  out.status = status;
  return out as KubeObject;
}
