// Dispatches a resource request to the right service by verb and subresource, after
// authentication and authorization. One place decides routing; services hold the rules.
import { IncomingMessage, ServerResponse } from 'node:http';
import {
  convertFieldSelector,
  findResource,
  forbidden,
  KubeObject,
  matchesLabels,
  methodNotAllowed,
  parseLabelSelector,
  pathNotFound,
  qualifiedResource,
  unauthorized,
} from '@coxswain/api';
import { authorize, Decision } from '../auth/authorizer';
import { UserInfo } from '../auth/tokens';
import { ANONYMOUS, anonymousAllowed, Authenticator } from '../auth/authenticators';
import { decodeBody, mediaType, readRawBody } from '../request/body';
import { RequestInfo } from '../request/request-info';
import { applyPatch, patchTypeOf } from '../patch/apply-patch';
import { RequestContext } from './context';
import { ownedBody, ResourceService, withTypeMeta } from './resource-service';
import { SubresourceService } from './subresource-service';
import { WatchService } from './watch-service';
import { converterFor, VersionConverter } from './version-conversion';
import { MetricsApi } from '../proxy/metrics-api';
import { checkNodeProvision, checkNodeProvisioned, checkNodeReference, nameFromFieldSelector } from '../auth/node-graph';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface TableRenderer {
  (kind: string, objects: KubeObject[], options: { now: Date; includeObject: 'None' | 'Metadata' | 'Object'; listMeta?: Obj }): unknown;
}

export interface RouterOptions {
  /** Node agent access: pods/log streaming and the metrics API. */
  logs?: (pod: KubeObject, query: URLSearchParams, res: ServerResponse) => Promise<void>;
  metrics?: MetricsApi;
  resources: ResourceService;
  subresources: SubresourceService;
  watches: WatchService;
  authenticator?: Authenticator;
  /** Serve unauthenticated requests as this user (tests on loopback without tokens). */
  anonymousAs?: UserInfo;
  renderTable?: TableRenderer;
  bodyLimit?: number;
  clock?: () => Date;
}

export interface Answer {
  code: number;
  body: unknown;
  /** The request was answered as a stream (watch); nothing else to send. */
  streamed?: boolean;
}

const wantsTable = (accept: string | undefined) => /as=Table/.test(accept ?? '');

export class ApiRouter {
  constructor(private readonly options: RouterOptions) {}

  async authenticate(req: IncomingMessage): Promise<UserInfo> {
    const user = await this.options.authenticator?.authenticate(req);
    if (user) return user;
    if (this.options.anonymousAs && !req.headers.authorization) return this.options.anonymousAs;
    if (anonymousAllowed(req)) return ANONYMOUS;
    throw unauthorized();
  }

  async handle(req: IncomingMessage, res: ServerResponse, info: RequestInfo, user: UserInfo, query: URLSearchParams): Promise<Answer> {
    if (info.group === 'metrics.k8s.io' && info.version === 'v1beta1' && this.options.metrics) return this.metrics(info, user, query);
    const resource = info.resource ? findResource(info.group, info.version, info.resource) : undefined;
    if (!resource) throw pathNotFound(info.path);
    if (resource.namespaced === false && info.namespace) throw pathNotFound(info.path);
    if (info.subresource && !resource.subresources.includes(info.subresource)) throw pathNotFound(info.path);
    const attrs = { verb: info.verb, group: info.group, resource: resource.plural, subresource: info.subresource, namespace: info.namespace, name: info.name ?? nameFromFieldSelector(info.verb, query), labelSelector: query.get('labelSelector') ?? undefined };
    const decision = authorize(user, attrs);
    if (!decision.allowed) throw forbidden(user.name, info.verb, { resource: qualifiedResource(resource) + (info.subresource ? `/${info.subresource}` : ''), name: info.name, group: resource.group }, info.namespace, decision.reason);
    const converter = converterFor(resource);
    // The served version's field labels select the stored version's fields (400 for others).
    const selector = query.get('fieldSelector');
    if (converter?.fieldLabels && selector) {
      query = new URLSearchParams(query);
      query.set('fieldSelector', convertFieldSelector(selector, converter.fieldLabels));
    }
    const ctx: RequestContext = { info, resource: converter?.storage ?? resource, user, query, now: (this.options.clock ?? (() => new Date()))(), warnings: [] };
    if (decision.boundTo) await this.checkBound(ctx, decision.boundTo);
    if (decision.referencedFrom) await checkNodeReference(this.options.resources, ctx, attrs.name!, decision.referencedFrom);
    if (decision.provisionedOn) await checkNodeProvisioned(this.options.resources, ctx, attrs.name!, decision.provisionedOn);
    const answer = await this.dispatch(req, res, ctx, this.createCheck(ctx, decision), converter);
    if (ctx.warnings.length && !res.headersSent) res.setHeader('Warning', ctx.warnings.map((w) => `299 - ${JSON.stringify(w)}`).join(', '));
    if (!answer.streamed && wantsTable(req.headers.accept) && this.options.renderTable && isRenderable(answer.body, resource.kind)) {
      return { code: answer.code, body: this.table(ctx, answer.body as Obj) };
    }
    if (converter && !answer.streamed) answer.body = converter.toServed(answer.body);
    return answer;
  }

  private async metrics(info: RequestInfo, user: UserInfo, query: URLSearchParams): Promise<Answer> {
    if (info.verb !== 'get' && info.verb !== 'list') throw methodNotAllowed(info.verb, info.path);
    const decision = authorize(user, { verb: info.verb, group: info.group, resource: info.resource ?? '', namespace: info.namespace, name: info.name });
    if (!decision.allowed) throw forbidden(user.name, info.verb, { resource: `${info.resource}.metrics.k8s.io`, name: info.name, group: info.group }, info.namespace, decision.reason);
    const labels = parseLabelSelector(query.get('labelSelector') ?? '');
    const filter = labels.length ? (obj: KubeObject) => matchesLabels(obj.metadata?.labels, labels) : undefined;
    return { code: 200, body: await this.options.metrics!.handle(info.resource ?? '', info.namespace, info.name, filter) };
  }

  private table(ctx: RequestContext, body: Obj): unknown {
    const includeObject = (ctx.query.get('includeObject') as 'None' | 'Metadata' | 'Object' | null) ?? 'Metadata';
    const objects = Array.isArray(body.items) ? body.items : [body];
    return this.options.renderTable!(ctx.resource.kind, objects, { now: ctx.now, includeObject, listMeta: Array.isArray(body.items) ? body.metadata : undefined });
  }

  /** What a create must pass besides authorization: the object's name, or a node's provisioned volume. */
  private createCheck(ctx: RequestContext, decision: Decision): ((body: Obj) => Promise<void>) | undefined {
    const { createName, provisionOn } = decision;
    if (provisionOn !== undefined) return (body) => checkNodeProvision(this.options.resources, ctx, body, provisionOn);
    if (createName === undefined) return undefined;
    return async (body) => {
      if (body?.metadata?.name !== createName) {
        throw forbidden(ctx.user.name, 'create', { resource: qualifiedResource(ctx.resource), name: body?.metadata?.name, group: ctx.resource.group }, ctx.info.namespace, `may only create the object named "${createName}"`);
      }
    };
  }

  private async checkBound(ctx: RequestContext, node: string): Promise<void> {
    const obj = (await this.options.resources.load(ctx.resource, ctx.info.namespace, ctx.info.name!)) as Obj;
    const bound = obj.spec?.nodeName ?? obj.status?.nodeName;
    if (bound !== node) {
      throw forbidden(ctx.user.name, ctx.info.verb, { resource: qualifiedResource(ctx.resource), name: ctx.info.name, group: ctx.resource.group }, ctx.info.namespace, `${ctx.resource.kind} is not bound to node "${node}"`);
    }
  }

  private async body(req: IncomingMessage): Promise<unknown> {
    return decodeBody(await readRawBody(req, this.options.bodyLimit), req.headers['content-type']);
  }

  /** A body for create/update, which nothing but this request holds (checked in place). */
  private async ownBody(req: IncomingMessage): Promise<unknown> {
    return ownedBody(await this.body(req));
  }

  private async optionalBody(req: IncomingMessage): Promise<Obj | undefined> {
    const raw = await readRawBody(req, this.options.bodyLimit);
    if (raw.length === 0 || raw.toString('utf8').trim() === '') return undefined;
    return decodeBody(raw, req.headers['content-type']) as Obj;
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse, ctx: RequestContext, createCheck?: (body: Obj) => Promise<void>, converter?: VersionConverter): Promise<Answer> {
    const { resources, subresources, watches } = this.options;
    const { verb, subresource } = ctx.info;
    const patchType = () => patchTypeOf(mediaType(req.headers['content-type']));
    if (converter) {
      // A served-only version: bodies convert to the stored version on the way in.
      const stored = () => (ctx.info.name ? resources.load(ctx.resource, ctx.info.namespace, ctx.info.name).catch(() => undefined) : Promise.resolve(undefined));
      const body = async () => converter.toStorage((await this.body(req)) as Obj, await stored());
      if (verb === 'patch') {
        const patch = await this.body(req);
        const current = await resources.load(ctx.resource, ctx.info.namespace, ctx.info.name!);
        const view = converter.toServed(withTypeMeta(ctx.resource, current)) as Obj;
        const patched = applyPatch(patchType(), view, patch) as Obj;
        const next = converter.toStorage({ ...patched, metadata: { ...patched.metadata, resourceVersion: patched.metadata?.resourceVersion ?? current.metadata.resourceVersion } }, current);
        return { code: 200, body: await resources.update(ctx, next, subresource === 'status') };
      }
      if (!subresource && verb === 'create') return { code: 201, body: await resources.create(ctx, await body()) };
      if (verb === 'update') return { code: 200, body: await resources.update(ctx, await body(), subresource === 'status') };
      if (verb === 'watch') {
        const table = wantsTable(req.headers.accept) && this.options.renderTable;
        await watches.serve(ctx, res, (obj) => (table ? this.table(ctx, obj as Obj) : converter.toServed(obj)), table ? undefined : `served:${ctx.info.group}/${ctx.info.version}/${ctx.info.resource}`);
        return { code: 200, body: undefined, streamed: true };
      }
    }
    if (!subresource) {
      switch (verb) {
        case 'get':
          return { code: 200, body: await resources.get(ctx) };
        case 'list':
          return { code: 200, body: await resources.list(ctx) };
        case 'watch': {
          const table = wantsTable(req.headers.accept) && this.options.renderTable;
          const render = table ? (obj: KubeObject) => this.table(ctx, obj as Obj) : (obj: KubeObject) => obj;
          await watches.serve(ctx, res, render, table ? undefined : `${ctx.resource.group}/${ctx.resource.version}/${ctx.resource.kind}`);
          return { code: 200, body: undefined, streamed: true };
        }
        case 'create': {
          if (ctx.info.name) throw methodNotAllowed('POST', ctx.info.path);
          const body = await this.ownBody(req);
          await createCheck?.(body as Obj);
          return { code: 201, body: await resources.create(ctx, body) };
        }
        case 'update':
          return { code: 200, body: await resources.update(ctx, await this.ownBody(req)) };
        case 'patch':
          return { code: 200, body: await resources.patch(ctx, patchType(), await this.body(req)) };
        case 'delete':
          return { code: 200, body: await resources.delete(ctx, await this.optionalBody(req)) };
        case 'deletecollection':
          return { code: 200, body: await resources.deleteCollection(ctx, await this.optionalBody(req)) };
      }
      throw methodNotAllowed(req.method ?? verb, ctx.info.path);
    }
    switch (`${subresource}:${verb}`) {
      case 'status:get':
      case 'approval:get':
        return { code: 200, body: await resources.get(ctx) };
      case 'status:update':
      case 'approval:update':
        return { code: 200, body: await resources.update(ctx, await this.ownBody(req), true) };
      case 'status:patch':
      case 'approval:patch':
        return { code: 200, body: await resources.patch(ctx, patchType(), await this.body(req), true) };
      case 'scale:get':
        return { code: 200, body: await subresources.getScale(ctx) };
      case 'scale:update':
        return { code: 200, body: await subresources.updateScale(ctx, await this.body(req)) };
      case 'scale:patch':
        return { code: 200, body: await subresources.patchScale(ctx, patchType(), await this.body(req)) };
      case 'binding:create':
        return { code: 201, body: await subresources.bind(ctx, await this.body(req)) };
      case 'eviction:create':
        return { code: 201, body: await subresources.evict(ctx, await this.optionalBody(req)) };
      case 'start:update':
      case 'stop:update':
      case 'restart:update':
        await this.optionalBody(req);
        return { code: 202, body: await subresources.vmAction(ctx, subresource) };
      case 'finalize:update':
        return { code: 200, body: await resources.update(ctx, await this.body(req)) };
      case 'log:get': {
        if (!this.options.logs) return subresources.logsUnavailable(ctx);
        const pod = await resources.load(ctx.resource, ctx.info.namespace, ctx.info.name!);
        await this.options.logs(pod, ctx.query, res);
        return { code: 200, body: undefined, streamed: true };
      }
      case 'exec:get':
      case 'exec:create':
      case 'console:get':
        return subresources.upgradeRequired();
    }
    throw methodNotAllowed(req.method ?? verb, `${ctx.info.path}`);
  }
}

function isRenderable(body: unknown, kind: string): boolean {
  const obj = body as Obj;
  return Boolean(obj) && (obj.kind === kind || obj.kind === `${kind}List`);
}

