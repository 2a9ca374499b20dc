// The rules of every verb on stored resources: admission (defaults, validation, namespace
// checks), optimistic concurrency, status handling, deletion with finalizers and grace.
import {
  apiVersionOf,
  applyDefaults,
  assertValid,
  badRequest,
  conflict,
  FieldValidation,
  forbidden,
  invalid,
  KubeObject,
  matchesFields,
  matchesLabels,
  notFound,
  parseFieldSelector,
  parseLabelSelector,
  qualifiedResource,
  ResourceInfo,
  resourceForKind,
  StatusError,
  successStatus,
  validateUpdate,
} from '@coxswain/api';
import { admitPodSecurity } from '../admission/pod-security';
import { admissionForbidden, admitPodCreate } from '../admission/pod-create';
import { admitStorageCreate, needsStorageClasses, nodeClaimStatusRefusal } from '../admission/storage';
import { applyPatch, PatchType } from '../patch/apply-patch';
import { isStaleAtRest } from '../storage/encryption';
import { admitHostPath } from './volume-admission';
import { carryRequester, CSR_KIND, csrSubresourceUpdate, stampRequester } from './csr-strategy';
import { ObjectStore } from '../storage/object-store';
import { isDryRun, RequestContext } from './context';
import { PLAIN_WRITES, WriteHooks } from './write-hooks';
import { changed, DeleteRequest, generateNameSuffix, planDelete, prepareForCreate, prepareForStatusUpdate, prepareForUpdate, readyToRemove } from './object-rules';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NAMESPACES = resourceForKind('Namespace')!;
const STORAGE_CLASSES = resourceForKind('StorageClass')!;
/** Kinds Kubernetes lets PUT create (AllowCreateOnUpdate). */
const CREATE_ON_UPDATE = new Set(['Lease', 'Event']);
const PATCH_RETRIES = 8;

export function refOf(resource: ResourceInfo, name?: string) {
  return { resource: qualifiedResource(resource), name, group: resource.group || undefined, kind: resource.kind };
}

export function fieldValidationOf(query: URLSearchParams): FieldValidation {
  const value = query.get('fieldValidation');
  if (value === null || value === '') return 'Warn';
  if (value === 'Strict' || value === 'Warn' || value === 'Ignore') return value;
  throw badRequest(`fieldValidation must be one of "Strict", "Warn" or "Ignore", not "${value}"`);
}

/** A label+field selector predicate from the query; malformed selectors are 400s. */
export function selectorPredicate(resource: ResourceInfo, query: URLSearchParams): ((obj: KubeObject) => boolean) | undefined {
  const labels = parseLabelSelector(query.get('labelSelector') ?? '');
  const fields = parseFieldSelector(query.get('fieldSelector') ?? '', resource.kind);
  if (!labels.length && !fields.length) return undefined;
  return (obj) => matchesLabels(obj.metadata?.labels, labels) && matchesFields(obj, fields);
}

/** Bodies decoded for this request alone (nothing else holds them): checked in place, not cloned. */
const OWNED = new WeakSet<object>();

/** Marks a freshly decoded request body as the request's own (see OWNED). */
export function ownedBody<T>(body: T): T {
  if (typeof body === 'object' && body !== null) OWNED.add(body);
  return body;
}

export function withTypeMeta(resource: ResourceInfo, obj: KubeObject): KubeObject {
  return { apiVersion: apiVersionOf(resource), kind: resource.kind, ...obj };
}

/** Privileged pods, unsafe sysctls and control-plane hostPorts (admission/pod-security.ts). */
function admitSecurity(ctx: RequestContext, obj: KubeObject, verb: string): void {
  const decision = admitPodSecurity(ctx.user.role, ctx.resource.kind, obj);
  const ref = refOf(ctx.resource, obj.metadata.name);
  if (decision.forbidden) throw forbidden(ctx.user.name, verb, ref, obj.metadata.namespace, decision.forbidden);
  if (decision.causes.length) throw invalid({ ...ref, kind: ctx.resource.kind }, decision.causes);
}

export class ResourceService {
  constructor(
    private readonly store: ObjectStore,
    private readonly hooks: WriteHooks = PLAIN_WRITES,
  ) {}

  async get(ctx: RequestContext): Promise<KubeObject> {
    return withTypeMeta(ctx.resource, await this.load(ctx.resource, ctx.info.namespace, ctx.info.name!));
  }

  async load(resource: ResourceInfo, namespace: string | undefined, name: string): Promise<KubeObject> {
    const obj = await this.store.get(resource, namespace, name);
    if (!obj) throw notFound(refOf(resource, name));
    return obj;
  }

  async list(ctx: RequestContext): Promise<Obj> {
    const limit = ctx.query.get('limit');
    const parsedLimit = limit ? Number(limit) : undefined;
    if (parsedLimit !== undefined && (!Number.isSafeInteger(parsedLimit) || parsedLimit < 0)) throw badRequest(`limit must be a non-negative integer, not "${limit}"`);
    const result = await this.store.list(ctx.resource, {
      namespace: ctx.info.namespace,
      predicate: selectorPredicate(ctx.resource, ctx.query),
      limit: parsedLimit,
      continueToken: ctx.query.get('continue') ?? undefined,
    });
    const metadata: Obj = { resourceVersion: result.resourceVersion };
    if (result.continue) metadata.continue = result.continue;
    return { apiVersion: apiVersionOf(ctx.resource), kind: ctx.resource.listKind, metadata, items: result.items.map((i) => withTypeMeta(ctx.resource, i)) };
  }

  /** Body checks shared by create and update: kind, apiVersion, namespace agree with the URL. */
  private checkBody(ctx: RequestContext, body: unknown): Obj {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw badRequest('the request body must be a JSON object');
    const obj = (OWNED.has(body) ? body : structuredClone(body)) as Obj;
    const expectedVersion = apiVersionOf(ctx.resource);
    if (obj.kind !== undefined && obj.kind !== ctx.resource.kind) throw badRequest(`the kind in the data (${obj.kind}) does not match the expected kind (${ctx.resource.kind})`);
    if (obj.apiVersion !== undefined && obj.apiVersion !== expectedVersion) throw badRequest(`the API version in the data (${obj.apiVersion}) does not match the expected API version (${expectedVersion})`);
    obj.kind = ctx.resource.kind;
    obj.apiVersion = expectedVersion;
    if (typeof obj.metadata !== 'object' || obj.metadata === null || Array.isArray(obj.metadata)) {
      if (obj.metadata !== undefined) throw invalid({ ...refOf(ctx.resource), kind: ctx.resource.kind }, [{ field: 'metadata', reason: 'FieldValueInvalid', message: 'Invalid value: must be an object' }]);
      obj.metadata = {};
    }
    if (ctx.resource.namespaced) {
      if (obj.metadata.namespace && ctx.info.namespace && obj.metadata.namespace !== ctx.info.namespace) {
        throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
      }
      obj.metadata.namespace = ctx.info.namespace ?? obj.metadata.namespace;
      if (!obj.metadata.namespace) throw badRequest('a namespace is required to create namespaced objects: use /namespaces/{namespace}/ in the path');
    }
    return obj;
  }

  private async checkNamespace(ctx: RequestContext, namespace: string | undefined): Promise<void> {
    if (!ctx.resource.namespaced || !namespace) return;
    const ns = await this.store.get(NAMESPACES, undefined, namespace);
    if (!ns) throw notFound({ resource: 'namespaces', name: namespace, kind: 'namespaces' });
    if (ns.metadata.deletionTimestamp && ctx.resource.kind !== 'Event') {
      throw forbidden(ctx.user.name, 'create', refOf(ctx.resource, undefined), namespace, `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  async create(ctx: RequestContext, body: unknown): Promise<KubeObject> {
    const obj = this.checkBody(ctx, body);
    if (!obj.metadata.name && obj.metadata.generateName) obj.metadata.name = `${obj.metadata.generateName}${generateNameSuffix()}`;
    if (ctx.info.name && obj.metadata.name !== ctx.info.name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${ctx.info.name})`);
    if (ctx.resource.kind === CSR_KIND) stampRequester(obj, ctx.user);
    // checkBody's object is this request's own (decoded for it, or copied): no second copy.
    const defaulted = applyDefaults(obj as KubeObject, { namespace: ctx.info.namespace, inPlace: true });
    // Mutating admission (priority from the class, runtime class) runs before validation, as in Kubernetes.
    const refusal = ctx.resource.kind === 'Pod' ? admitPodCreate(defaulted) : undefined;
    if (refusal) throw admissionForbidden(defaulted.metadata.name, refusal);
    ctx.warnings.push(...assertValid(defaulted, fieldValidationOf(ctx.query), { operation: 'create' }));
    admitSecurity(ctx, defaulted, 'create');
    admitHostPath(ctx.user, ctx.resource, defaulted, 'create');
    await this.checkNamespace(ctx, defaulted.metadata.namespace);
    const classes = needsStorageClasses(defaulted) ? (await this.store.list(STORAGE_CLASSES)).items : [];
    const prepared = prepareForCreate(ctx.resource, admitStorageCreate(defaulted, classes), ctx.now);
    return withTypeMeta(ctx.resource, await this.hooks.create(ctx.resource, prepared, isDryRun(ctx.query), (obj) => this.store.create(ctx.resource, obj)));
  }

  /** PUT on the main resource (or status when `statusOnly`). */
  async update(ctx: RequestContext, body: unknown, statusOnly = false): Promise<KubeObject> {
    const obj = this.checkBody(ctx, body);
    const name = ctx.info.name!;
    if (obj.metadata.name !== undefined && obj.metadata.name !== name) throw badRequest(`the name of the object (${obj.metadata.name}) does not match the name on the URL (${name})`);
    obj.metadata.name = name;
    const wanted = obj.metadata.resourceVersion ? Number(obj.metadata.resourceVersion) : undefined;
    if (obj.metadata.resourceVersion !== undefined && !Number.isSafeInteger(wanted)) throw badRequest(`invalid resourceVersion "${obj.metadata.resourceVersion}"`);
    // The client's resourceVersion exists: a cache behind it (another worker wrote it) must not answer 409.
    const previous = await this.store.get(ctx.resource, ctx.info.namespace, name, { minRevision: wanted });
    if (!previous) {
      if (CREATE_ON_UPDATE.has(ctx.resource.kind) && !statusOnly) return this.create(ctx, obj);
      throw notFound(refOf(ctx.resource, name));
    }
    if (wanted !== undefined && String(wanted) !== previous.metadata.resourceVersion) throw conflictFor(ctx.resource, name);
    return this.write(ctx, previous, obj as KubeObject, statusOnly);
  }

  /** Applies an already-merged desired object on top of `previous`, guarded by its revision. */
  private async write(ctx: RequestContext, previous: KubeObject, desired: KubeObject, statusOnly: boolean): Promise<KubeObject> {
    let next: KubeObject;
    if (statusOnly && ctx.resource.kind === CSR_KIND) {
      next = csrSubresourceUpdate(ctx.info.subresource, previous, desired, ctx.now);
    } else if (statusOnly) {
      next = prepareForStatusUpdate(previous, desired);
      const refusal = ctx.user.role === 'node' && ctx.resource.kind === 'PersistentVolumeClaim' ? nodeClaimStatusRefusal(ctx.user.nodeName ?? '', previous, next) : undefined;
      if (refusal) throw forbidden(ctx.user.name, ctx.info.verb, { resource: 'persistentvolumeclaims/status', name: previous.metadata.name, group: '' }, ctx.info.namespace, refusal);
    } else {
      const carried = ctx.resource.kind === CSR_KIND ? carryRequester(previous, desired) : desired;
      const kept = this.hooks.carryOver(ctx.resource, previous, carried);
      // `desired` is this request's own (checkBody): filled in place unless a hook mixed in
      // parts of `previous`, which the cache still holds.
      const defaulted = applyDefaults(kept, { namespace: ctx.info.namespace, inPlace: kept === desired });
      ctx.warnings.push(...assertValid(defaulted, fieldValidationOf(ctx.query), { operation: 'update' }));
      admitSecurity(ctx, defaulted, 'update');
      admitHostPath(ctx.user, ctx.resource, defaulted, 'update');
      const causes = validateUpdate(previous, defaulted);
      if (causes.length) throw invalid({ ...refOf(ctx.resource, previous.metadata.name), kind: ctx.resource.kind }, causes);
      next = prepareForUpdate(ctx.resource, previous, defaulted);
    }
    if (!changed(previous, next) && !isStaleAtRest(previous)) return withTypeMeta(ctx.resource, previous);
    if (isDryRun(ctx.query)) return withTypeMeta(ctx.resource, next);
    const revision = Number(previous.metadata.resourceVersion);
    if (readyToRemove(next)) {
      return withTypeMeta(ctx.resource, await this.hooks.remove(ctx.resource, () => this.store.delete(ctx.resource, previous.metadata.namespace, previous.metadata.name!, revision)));
    }
    return withTypeMeta(ctx.resource, await this.hooks.update(ctx.resource, previous, next, (obj) => this.store.update(ctx.resource, obj, revision)));
  }

  /** PATCH, retried on conflicts unless the patch pins a resourceVersion. */
  async patch(ctx: RequestContext, type: PatchType, patch: unknown, statusOnly = false): Promise<KubeObject> {
    const name = ctx.info.name!;
    const pinned = typeof patch === 'object' && patch !== null && !Array.isArray(patch) ? (patch as Obj).metadata?.resourceVersion : undefined;
    for (let attempt = 0; ; attempt++) {
      const previous = await this.store.get(ctx.resource, ctx.info.namespace, name, { minRevision: pinned !== undefined && Number.isSafeInteger(Number(pinned)) ? Number(pinned) : undefined });
      if (!previous) {
        if (type === 'apply' && !statusOnly) return this.create(ctx, patch);
        throw notFound(refOf(ctx.resource, name));
      }
      if (pinned !== undefined && String(pinned) !== previous.metadata.resourceVersion) throw conflictFor(ctx.resource, name);
      const current = withTypeMeta(ctx.resource, previous);
      const patched = applyPatch(type, current, patch) as Obj;
      if (typeof patched !== 'object' || patched === null || Array.isArray(patched)) throw badRequest('the patch did not produce an object');
      patched.metadata = { ...(patched.metadata ?? {}), resourceVersion: previous.metadata.resourceVersion };
      if (patched.metadata.name !== name) throw badRequest(`the name of the object (${patched.metadata.name}) does not match the name on the URL (${name})`);
      const checked = this.checkBody(ctx, patched);
      try {
        return await this.write(ctx, previous, checked as KubeObject, statusOnly);
      } catch (error) {
        const retry = error instanceof StatusError && error.code === 409 && error.reason === 'Conflict' && pinned === undefined && attempt < PATCH_RETRIES;
        if (!retry) throw error;
      }
    }
  }

  /** Read-modify-write of one object with conflict retries, for subresources and controllers in-process. */
  async mutate(resource: ResourceInfo, namespace: string | undefined, name: string, change: (obj: Obj) => Obj | undefined): Promise<KubeObject> {
    for (let attempt = 0; ; attempt++) {
      // The write below is revision-guarded: a first read may be a little stale (no wait for
      // this server's other writes); a conflict re-reads fresh.
      const previous = (await this.store.get(resource, namespace, name, { allowStale: attempt === 0 })) ?? (await this.load(resource, namespace, name));
      const next = change(structuredClone(previous) as Obj);
      if (next === undefined) return previous;
      try {
        return await this.store.update(resource, next as KubeObject, Number(previous.metadata.resourceVersion));
      } catch (error) {
        if (!(error instanceof StatusError && error.reason === 'Conflict' && attempt < PATCH_RETRIES)) throw error;
      }
    }
  }

  async delete(ctx: RequestContext, options: Obj | undefined): Promise<Obj> {
    const name = ctx.info.name!;
    const request = deleteRequestOf(ctx.query, options);
    for (let attempt = 0; ; attempt++) {
      const previous = await this.load(ctx.resource, ctx.info.namespace, name);
      checkPreconditions(ctx.resource, previous, options?.preconditions);
      const plan = planDelete(ctx.resource, previous, request, ctx.now);
      if (isDryRun(ctx.query)) return withTypeMeta(ctx.resource, previous);
      const revision = Number(previous.metadata.resourceVersion);
      try {
        if (plan.kind === 'unchanged') return withTypeMeta(ctx.resource, previous);
        if (plan.kind === 'mark') return withTypeMeta(ctx.resource, await this.store.update(ctx.resource, plan.object, revision));
        const removed = await this.hooks.remove(ctx.resource, () => this.store.delete(ctx.resource, ctx.info.namespace, name, revision));
        return ctx.resource.kind === 'Namespace' || ctx.resource.kind === 'Node'
          ? successStatus({ name, kind: ctx.resource.plural, uid: removed.metadata.uid, group: ctx.resource.group || undefined })
          : withTypeMeta(ctx.resource, removed);
      } catch (error) {
        const retry = error instanceof StatusError && error.reason === 'Conflict' && attempt < PATCH_RETRIES && !options?.preconditions?.resourceVersion;
        if (!retry) throw error;
      }
    }
  }

  async deleteCollection(ctx: RequestContext, options: Obj | undefined): Promise<Obj> {
    const list = await this.list({ ...ctx, query: withoutPaging(ctx.query) });
    const deleted: KubeObject[] = [];
    for (const item of list.items as KubeObject[]) {
      try {
        const result = await this.delete({ ...ctx, info: { ...ctx.info, name: item.metadata.name, namespace: item.metadata.namespace } }, options);
        if (result.kind !== 'Status') deleted.push(result as KubeObject);
      } catch (error) {
        if (!(error instanceof StatusError && error.code === 404)) throw error;
      }
    }
    return { apiVersion: apiVersionOf(ctx.resource), kind: ctx.resource.listKind, metadata: { resourceVersion: list.metadata.resourceVersion }, items: deleted };
  }
}

function conflictFor(resource: ResourceInfo, name: string): StatusError {
  return conflict(refOf(resource, name), 'the object has been modified; please apply your changes to the latest version and try again');
}

function withoutPaging(query: URLSearchParams): URLSearchParams {
  const copy = new URLSearchParams(query);
  copy.delete('limit');
  copy.delete('continue');
  return copy;
}

export function deleteRequestOf(query: URLSearchParams, options: Obj | undefined): DeleteRequest {
  const graceText = query.get('gracePeriodSeconds');
  const grace = graceText !== null ? Number(graceText) : options?.gracePeriodSeconds;
  if (grace !== undefined && (!Number.isSafeInteger(grace) || grace < 0)) throw badRequest(`gracePeriodSeconds must be a non-negative integer`);
  let policy = query.get('propagationPolicy') ?? options?.propagationPolicy;
  if (policy === undefined && options?.orphanDependents !== undefined) policy = options.orphanDependents ? 'Orphan' : 'Background';
  if (policy !== undefined && !['Background', 'Foreground', 'Orphan'].includes(policy)) {
    throw badRequest(`propagationPolicy must be one of "Background", "Foreground" or "Orphan", not "${policy}"`);
  }
  return { gracePeriodSeconds: grace, propagationPolicy: policy };
}

function checkPreconditions(resource: ResourceInfo, obj: KubeObject, preconditions: Obj | undefined): void {
  if (!preconditions) return;
  if (preconditions.uid && preconditions.uid !== obj.metadata.uid) {
    throw conflict(refOf(resource, obj.metadata.name), `Precondition failed: UID in precondition: ${preconditions.uid}, UID in object meta: ${obj.metadata.uid}`);
  }
  if (preconditions.resourceVersion && preconditions.resourceVersion !== obj.metadata.resourceVersion) {
    throw conflict(refOf(resource, obj.metadata.name), `Precondition failed: ResourceVersion in precondition: ${preconditions.resourceVersion}, ResourceVersion in object meta: ${obj.metadata.resourceVersion}`);
  }
}
