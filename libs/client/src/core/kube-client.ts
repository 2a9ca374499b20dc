import { ApiError, isAlreadyExists, isGone } from './api-error';
import { isOwnCreate } from './own-create';
import { ObjectPath, ResourceDescriptor, resourcePath } from './resource';
import { Query, RestRequest, RestTransport, TransportOptions } from './rest-transport';
import { formatSelector, SelectorInput } from './selectors';
import { KubeList, KubeObject, Status } from './types';
import { WatchStream } from './watch-stream';

export type KubeClientOptions = TransportOptions;

interface Signalled {
  signal?: AbortSignal;
}

export interface GetOptions extends Signalled {
  namespace?: string;
}

export interface ListOptions extends Signalled {
  namespace?: string;
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  limit?: number;
  continue?: string;
  resourceVersion?: string;
  resourceVersionMatch?: 'Exact' | 'NotOlderThan';
}

export interface WriteOptions extends Signalled {
  /** Defaults to the object's metadata.namespace. */
  namespace?: string;
  dryRun?: boolean;
  fieldManager?: string;
}

/** merge = RFC 7386 JSON merge patch, json = RFC 6902 ops, strategic = k8s strategic merge, apply = server-side apply. */
export type PatchType = 'merge' | 'json' | 'strategic' | 'apply';

const PATCH_CONTENT_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  json: 'application/json-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
};

export interface PatchOptions extends WriteOptions {
  /** Default 'merge'. */
  type?: PatchType;
  /** Patch a subresource such as 'status' or 'scale'. */
  subresource?: string;
  /** Server-side apply: take ownership of conflicting fields. */
  force?: boolean;
}

export type PropagationPolicy = 'Foreground' | 'Background' | 'Orphan';

export interface DeleteOptions extends Signalled {
  namespace?: string;
  propagationPolicy?: PropagationPolicy;
  gracePeriodSeconds?: number;
  /** Delete only if the object still has this uid / resourceVersion (409 otherwise). */
  preconditions?: { uid?: string; resourceVersion?: string };
  dryRun?: boolean;
}

export interface DeleteCollectionOptions extends DeleteOptions {
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
}

export interface WatchOptions extends Signalled {
  namespace?: string;
  labelSelector?: SelectorInput;
  fieldSelector?: SelectorInput;
  /** Start after this version; omitted = the server's current state as synthetic ADDED events. */
  resourceVersion?: string;
  /** Default true: the server may send BOOKMARK events carrying only a resourceVersion. */
  allowWatchBookmarks?: boolean;
  /** Ask the server to end the watch after this long (the caller then resumes). */
  timeoutSeconds?: number;
}

/**
 * Typed REST + watch client following the Kubernetes API conventions. Every call names its
 * resource with a descriptor ({group, version, plural, namespaced}); errors are ApiErrors
 * carrying the server's Status.
 */
export class KubeClient {
  readonly transport: RestTransport;

  constructor(options: KubeClientOptions) {
    this.transport = new RestTransport(options);
  }

  get server(): string {
    return this.transport.server;
  }

  async get<T extends KubeObject = KubeObject>(resource: ResourceDescriptor, name: string, options: GetOptions = {}): Promise<T> {
    return this.json<T>({ method: 'GET', path: this.path(resource, { namespace: options.namespace, name }), signal: options.signal });
  }

  /** One page (or everything, without `limit`). Without a namespace a namespaced resource lists all namespaces. */
  async list<T extends KubeObject = KubeObject>(resource: ResourceDescriptor, options: ListOptions = {}): Promise<KubeList<T>> {
    const list = await this.json<KubeList<T>>({
      method: 'GET',
      path: this.path(resource, { namespace: options.namespace }),
      query: {
        labelSelector: formatSelector(options.labelSelector),
        fieldSelector: formatSelector(options.fieldSelector),
        limit: options.limit,
        continue: options.continue,
        resourceVersion: options.resourceVersion,
        resourceVersionMatch: options.resourceVersionMatch,
      },
      signal: options.signal,
    });
    list.items ??= [];
    list.metadata ??= {};
    return list;
  }

  /**
   * Follows `continue` tokens page by page (default pageSize 500) and returns one list. Its
   * resourceVersion is the first page's: pages are served from that snapshot, and watching
   * from it can only replay changes, never skip them. An expired continue token (410)
   * restarts with a single unpaged list.
   */
  async listAll<T extends KubeObject = KubeObject>(
    resource: ResourceDescriptor,
    options: Omit<ListOptions, 'limit' | 'continue'> & { pageSize?: number } = {},
  ): Promise<KubeList<T>> {
    const { pageSize = 500, ...rest } = options;
    const first = await this.list<T>(resource, { ...rest, limit: pageSize });
    const items = [...first.items];
    let token = first.metadata.continue;
    while (token) {
      let page: KubeList<T>;
      try {
        page = await this.list<T>(resource, { ...rest, limit: pageSize, continue: token });
      } catch (error) {
        if (!isGone(error)) throw error;
        return this.list<T>(resource, rest);
      }
      items.push(...page.items);
      token = page.metadata.continue;
    }
    return { ...first, metadata: { resourceVersion: first.metadata.resourceVersion }, items };
  }

  /**
   * POST of a new object. One with a fixed name is sent again when the connection broke after
   * the server may have received it, or when it answered 5xx with Retry-After (etcd timed out,
   * the write may be committed); a 409 AlreadyExists to that retry is success when the
   * stored object is what we sent (isOwnCreate) — the first attempt was committed. A
   * generateName create is never repeated (a retry would make a second object).
   */
  async create<T extends KubeObject>(resource: ResourceDescriptor, obj: T, options: WriteOptions = {}): Promise<T> {
    const namespace = options.namespace ?? obj.metadata?.namespace;
    requireNamespace(resource, namespace);
    const name = obj.metadata?.name;
    try {
      return await this.json<T>({
        method: 'POST',
        path: this.path(resource, { namespace }),
        query: writeQuery(options),
        body: obj,
        signal: options.signal,
        repeatable: Boolean(name),
      });
    } catch (error) {
      if (!name || options.dryRun || !(error instanceof ApiError && error.retriedAfterUncertainOutcome && isAlreadyExists(error))) throw error;
      const stored = await this.get<T>(resource, name, { namespace, signal: options.signal });
      if (isOwnCreate(obj, stored)) return stored;
      throw error;
    }
  }

  /** PUT of the whole object; metadata.resourceVersion (if set) guards against lost updates (409). */
  async update<T extends KubeObject>(resource: ResourceDescriptor, obj: T, options: WriteOptions = {}): Promise<T> {
    return this.json<T>({
      method: 'PUT',
      path: this.path(resource, { namespace: options.namespace ?? obj.metadata?.namespace, name: requireName(obj) }),
      query: writeQuery(options),
      body: obj,
      signal: options.signal,
    });
  }

  /** PUT to the /status subresource: only status changes are kept by the server. */
  async updateStatus<T extends KubeObject>(resource: ResourceDescriptor, obj: T, options: WriteOptions = {}): Promise<T> {
    return this.updateSubresource<T>(resource, requireName(obj), 'status', obj, {
      ...options,
      namespace: options.namespace ?? obj.metadata?.namespace,
    });
  }

  async patch<T extends KubeObject = KubeObject>(
    resource: ResourceDescriptor,
    name: string,
    patch: unknown,
    options: PatchOptions = {},
  ): Promise<T> {
    const type = options.type ?? 'merge';
    if (type === 'apply' && !options.fieldManager) throw new Error('server-side apply needs a fieldManager');
    if (type === 'json' && !Array.isArray(patch)) throw new Error('a JSON patch is an array of operations');
    return this.json<T>({
      method: 'PATCH',
      path: this.path(resource, { namespace: options.namespace, name, subresource: options.subresource }),
      query: { ...writeQuery(options), force: type === 'apply' && options.force ? true : undefined },
      body: patch,
      contentType: PATCH_CONTENT_TYPES[type],
      signal: options.signal,
    });
  }

  /** Answers the deleted object (while finalizers or grace run) or a Success Status. */
  async delete<T extends KubeObject = KubeObject>(resource: ResourceDescriptor, name: string, options: DeleteOptions = {}): Promise<T | Status> {
    return this.json<T | Status>({
      method: 'DELETE',
      path: this.path(resource, { namespace: options.namespace, name }),
      query: deleteQuery(options),
      body: deleteBody(options),
      signal: options.signal,
    });
  }

  async deleteCollection<T extends KubeObject = KubeObject>(
    resource: ResourceDescriptor,
    options: DeleteCollectionOptions = {},
  ): Promise<KubeList<T> | Status> {
    return this.json<KubeList<T> | Status>({
      method: 'DELETE',
      path: this.path(resource, { namespace: options.namespace }),
      query: {
        ...deleteQuery(options),
        labelSelector: formatSelector(options.labelSelector),
        fieldSelector: formatSelector(options.fieldSelector),
      },
      body: deleteBody(options),
      signal: options.signal,
    });
  }

  async getSubresource<T = unknown>(resource: ResourceDescriptor, name: string, subresource: string, options: GetOptions = {}): Promise<T> {
    return this.json<T>({ method: 'GET', path: this.path(resource, { namespace: options.namespace, name, subresource }), signal: options.signal });
  }

  /** PUT to a subresource (status, scale). */
  async updateSubresource<T = unknown>(resource: ResourceDescriptor, name: string, subresource: string, body: unknown, options: WriteOptions = {}): Promise<T> {
    return this.writeSubresource<T>('PUT', resource, name, subresource, body, options);
  }

  /** POST to a subresource (binding, eviction). */
  async createSubresource<T = unknown>(resource: ResourceDescriptor, name: string, subresource: string, body: unknown, options: WriteOptions = {}): Promise<T> {
    return this.writeSubresource<T>('POST', resource, name, subresource, body, options);
  }

  private writeSubresource<T>(method: 'PUT' | 'POST', resource: ResourceDescriptor, name: string, subresource: string, body: unknown, options: WriteOptions): Promise<T> {
    return this.json<T>({ method, path: this.path(resource, { namespace: options.namespace, name, subresource }), query: writeQuery(options), body, signal: options.signal });
  }

  /** Binds a workload to a node through its `binding` subresource, as the scheduler does. */
  async bind(resource: ResourceDescriptor, namespace: string, name: string, nodeName: string, options: Signalled = {}): Promise<unknown> {
    const binding = {
      apiVersion: 'v1',
      kind: 'Binding',
      metadata: { name, namespace },
      target: { apiVersion: 'v1', kind: 'Node', name: nodeName },
    };
    return this.createSubresource(resource, name, 'binding', binding, { namespace, signal: options.signal });
  }

  /**
   * Opens a watch; resolves once the server has accepted it (so a 410 for a too-old
   * resourceVersion rejects here as an ApiError).
   */
  async watch<T extends KubeObject = KubeObject>(resource: ResourceDescriptor, options: WatchOptions = {}): Promise<WatchStream<T>> {
    const controller = new AbortController();
    const onAbort = () => controller.abort(options.signal?.reason);
    if (options.signal?.aborted) onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    controller.signal.addEventListener('abort', () => options.signal?.removeEventListener('abort', onAbort), { once: true });
    const query: Query = {
      watch: 1,
      resourceVersion: options.resourceVersion,
      allowWatchBookmarks: options.allowWatchBookmarks ?? true,
      labelSelector: formatSelector(options.labelSelector),
      fieldSelector: formatSelector(options.fieldSelector),
      timeoutSeconds: options.timeoutSeconds,
    };
    try {
      const { body } = await this.transport.stream({ path: this.path(resource, { namespace: options.namespace }), query, signal: controller.signal });
      return new WatchStream<T>(body, controller);
    } catch (error) {
      controller.abort();
      throw error;
    }
  }

  /** Raw JSON request for paths outside the resource tree (discovery, /version). */
  async request<T = unknown>(request: RestRequest): Promise<T> {
    return this.json<T>(request);
  }

  /** Moves to new connections (after a client certificate rotation); see RestTransport.rotateConnections. */
  rotateConnections(): Promise<void> {
    return this.transport.rotateConnections();
  }

  /** Closes keep-alive connections; pending requests finish first. */
  close(): Promise<void> {
    return this.transport.close();
  }

  /** Drops all connections at once, open watches included. */
  destroy(): Promise<void> {
    return this.transport.destroy();
  }

  /** Object paths of namespaced kinds need a namespace; collections without one span all namespaces. */
  private path(resource: ResourceDescriptor, where: ObjectPath): string {
    if (where.name !== undefined) requireNamespace(resource, where.namespace);
    return resourcePath(resource, where);
  }

  private async json<T>(request: RestRequest): Promise<T> {
    const res = await this.transport.request(request);
    return (res.text ? JSON.parse(res.text) : undefined) as T;
  }
}

function requireNamespace(resource: ResourceDescriptor, namespace: string | undefined): void {
  if (resource.namespaced && !namespace) throw new Error(`${resource.plural} are namespaced: pass a namespace (or set metadata.namespace)`);
}

function requireName(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error('object has no metadata.name');
  return name;
}

function writeQuery(options: WriteOptions): Query {
  return { dryRun: options.dryRun ? 'All' : undefined, fieldManager: options.fieldManager };
}

// Policy and grace go both in the query and in the DeleteOptions body: Kubernetes accepts
// either, and servers that read only one of them still see the caller's intent.
function deleteQuery(options: DeleteOptions): Query {
  return {
    propagationPolicy: options.propagationPolicy,
    gracePeriodSeconds: options.gracePeriodSeconds,
    dryRun: options.dryRun ? 'All' : undefined,
  };
}

function deleteBody(options: DeleteOptions): unknown {
  const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
  if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
  if (options.gracePeriodSeconds !== undefined) body.gracePeriodSeconds = options.gracePeriodSeconds;
  if (options.preconditions) body.preconditions = options.preconditions;
  if (options.dryRun) body.dryRun = ['All'];
  return body;
}
