// The published documents: `/openapi/v2` (Swagger 2.0, all groups) and `/openapi/v3`
// (an index of per-group/version OpenAPI 3.0 documents). Built once and memoised, with
// their JSON text and content hashes, since every kubectl invocation may fetch them.
import { createHash } from 'node:crypto';
import { catalog, CatalogGroupVersion } from '../catalog';
import { deepFreeze } from '../freeze';
import { GIT_VERSION } from '../version';
import { closure, definitions, JsonSchema } from './definitions';
import { encodeOpenApiV2, OPENAPI_V2_PROTOBUF } from './protobuf';
import { parseAccept } from '../accept';
import { groupVersionPaths, OperationSpec, ParamSpec, PathSpec, referencedDefinitions } from './paths';

type Flavor = 'v2' | 'v3';

/**
 * Patch types PATCH operations advertise. Strategic merge patch is accepted by the server
 * but deliberately not advertised: kubectl then computes client-side apply patches from its
 * own compiled-in Kubernetes types (exact merge keys) instead of walking our schemas, whose
 * free-form fields (securityContext, valueFrom, volume sources…) make its OpenAPI walker
 * print warnings or even panic; KubeVirt kinds get JSON merge patches, as real CRDs do.
 */
const PATCH_TYPES = ['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json'];
const PRODUCES = ['application/json', 'application/yaml'];
const INFO = { title: 'Kubernetes', version: GIT_VERSION };
const BEARER = { description: 'Bearer Token authentication', type: 'apiKey', name: 'authorization', in: 'header' };

const byKey = <T>(entries: Array<[string, T]>): Record<string, T> =>
  Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** Reshapes a neutral schema for one flavour: reference prefixes, allOf wrapping, int-or-string. */
export function renderSchema(schema: JsonSchema, flavor: Flavor): JsonSchema {
  const prefix = flavor === 'v2' ? '#/definitions/' : '#/components/schemas/';
  const out: JsonSchema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref') continue;
    if (key === 'properties') out.properties = byKey(Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, renderSchema(v, flavor)]));
    else if ((key === 'items' || key === 'additionalProperties') && value && typeof value === 'object') out[key] = renderSchema(value as JsonSchema, flavor);
    else if ((key === 'allOf' || key === 'anyOf') && Array.isArray(value)) out[key] = value.map((v: JsonSchema) => renderSchema(v, flavor));
    else out[key] = value;
  }
  // Swagger 2.0 has no anyOf: Kubernetes' v2 spelling of int-or-string is a string format.
  if (flavor === 'v2' && out['x-kubernetes-int-or-string'] && out.anyOf) {
    delete out.anyOf;
    out.type = 'string';
    out.format = 'int-or-string';
  }
  const ref = schema.$ref;
  if (typeof ref !== 'string') return out;
  if (flavor === 'v2') return { ...out, $ref: prefix + ref };
  // OpenAPI 3.0 ignores siblings of $ref, so Kubernetes wraps it in allOf when it has any.
  return Object.keys(out).length === 0 ? { $ref: prefix + ref } : { allOf: [{ $ref: prefix + ref }], ...out };
}

function v2Param(p: ParamSpec): JsonSchema {
  return { uniqueItems: true, type: p.type, description: p.description, name: p.name, in: p.in, ...(p.required ? { required: true } : {}) };
}

function v3Param(p: ParamSpec): JsonSchema {
  return { name: p.name, in: p.in, description: p.description, ...(p.required ? { required: true } : {}), schema: { type: p.type, uniqueItems: true } };
}

function extensions(o: OperationSpec): JsonSchema {
  return { 'x-kubernetes-action': o.action, 'x-kubernetes-group-version-kind': { group: o.gvk.group, kind: o.gvk.kind, version: o.gvk.version } };
}

function v2Operation(o: OperationSpec): JsonSchema {
  const params = o.query.map(v2Param);
  if (o.body) params.unshift({ name: 'body', in: 'body', required: true, schema: { $ref: `#/definitions/${o.body}` } });
  const text = o.responses.some((r) => r.body === 'text');
  const responses = Object.fromEntries(
    o.responses.map((r) => [r.code, { description: r.description, ...(r.body === 'text' ? { schema: { type: 'string' } } : r.body ? { schema: { $ref: `#/definitions/${r.body}` } } : {}) }]),
  );
  return {
    description: o.description,
    consumes: o.method === 'patch' ? PATCH_TYPES : ['*/*'],
    produces: text ? ['text/plain', ...PRODUCES] : PRODUCES,
    schemes: ['https'],
    tags: [o.tag],
    operationId: o.operationId,
    parameters: params,
    responses,
    ...extensions(o),
  };
}

function v3Operation(o: OperationSpec): JsonSchema {
  const ref = (name: string): JsonSchema => ({ schema: { $ref: `#/components/schemas/${name}` } });
  const op: JsonSchema = { tags: [o.tag], description: o.description, operationId: o.operationId };
  if (o.query.length) op.parameters = o.query.map(v3Param);
  if (o.body) {
    const types = o.method === 'patch' ? PATCH_TYPES : ['*/*'];
    op.requestBody = { content: Object.fromEntries(types.map((t) => [t, ref(o.body!)])), required: true };
  }
  op.responses = Object.fromEntries(
    o.responses.map((r) => {
      if (r.body === 'text') return [r.code, { description: r.description, content: { 'text/plain': { schema: { type: 'string' } } } }];
      if (r.body) return [r.code, { description: r.description, content: Object.fromEntries(PRODUCES.map((t) => [t, ref(r.body!)])) }];
      return [r.code, { description: r.description }];
    }),
  );
  return { ...op, ...extensions(o) };
}

function renderPaths(paths: PathSpec[], flavor: Flavor): Record<string, JsonSchema> {
  return Object.fromEntries(
    paths.map((p) => {
      const item: JsonSchema = {};
      for (const o of p.operations) item[o.method] = flavor === 'v2' ? v2Operation(o) : v3Operation(o);
      item.parameters = p.params.map(flavor === 'v2' ? v2Param : v3Param);
      return [p.path, item];
    }),
  );
}

function renderDefinitions(names: Iterable<string>, flavor: Flavor): Record<string, JsonSchema> {
  const defs = definitions();
  return byKey([...names].map((name) => [name, renderSchema(defs.get(name)!, flavor)]));
}

/** `api/v1`, `apis/apps/v1`: the keys of the v3 index. */
export function groupVersionPath(gv: Pick<CatalogGroupVersion, 'group' | 'version'>): string {
  return gv.group === '' ? `api/${gv.version}` : `apis/${gv.group}/${gv.version}`;
}

interface Rendered {
  doc: JsonSchema;
  text: string;
  /** Uppercase hex SHA-512 of the text, as kube-apiserver uses for `?hash=` and ETag. */
  hash: string;
}

function rendered(doc: JsonSchema): Rendered {
  const text = JSON.stringify(doc);
  return { doc: deepFreeze(doc), text, hash: createHash('sha512').update(text).digest('hex').toUpperCase() };
}

let v2: Rendered | undefined;
let v2Protobuf: Buffer | undefined;
const v3 = new Map<string, Rendered>();

function buildV2(): Rendered {
  const paths = catalog().flatMap(groupVersionPaths);
  return rendered({
    swagger: '2.0',
    info: INFO,
    paths: renderPaths(paths, 'v2'),
    definitions: renderDefinitions(definitions().keys(), 'v2'),
    securityDefinitions: { BearerToken: BEARER },
    security: [{ BearerToken: [] }],
  });
}

function buildV3(gv: CatalogGroupVersion): Rendered {
  const paths = groupVersionPaths(gv);
  return rendered({
    openapi: '3.0.0',
    info: INFO,
    paths: renderPaths(paths, 'v3'),
    components: { schemas: renderDefinitions(closure(referencedDefinitions(paths)), 'v3'), securitySchemes: { BearerToken: BEARER } },
  });
}

function v3Entry(path: string): Rendered | undefined {
  const key = path.replace(/^\/+/, '').replace(/^openapi\/v3\//, '');
  const hit = v3.get(key);
  if (hit) return hit;
  const gv = catalog().find((g) => groupVersionPath(g) === key);
  if (!gv) return undefined;
  const entry = buildV3(gv);
  v3.set(key, entry);
  return entry;
}

/** `/openapi/v2` as JSON (Swagger 2.0, every group). */
export function openApiV2(): JsonSchema {
  v2 ??= buildV2();
  return v2.doc;
}

/** The same, serialised once. */
export function openApiV2Text(): { text: string; hash: string } {
  openApiV2();
  return { text: v2!.text, hash: v2!.hash };
}

/** `/openapi/v2` as gnostic protobuf, which kubectl asks for first. Memoised. */
export function openApiV2Protobuf(): Buffer {
  v2Protobuf ??= encodeOpenApiV2(openApiV2());
  return v2Protobuf;
}

/**
 * Which encoding of `/openapi/v2` to send: kubectl sends only the protobuf type, browsers
 * and tools JSON or nothing. Undefined: answer 406. The protobuf answer is labelled
 * `application/octet-stream` like kube-apiserver's: Go's mime parser rejects the `@` in the
 * type clients ask for.
 */
export function negotiateOpenApiV2(accept: string | undefined): { format: 'protobuf' | 'json'; contentType: string } | undefined {
  for (const range of parseAccept(accept)) {
    if (range.type === 'application' && range.subtype === OPENAPI_V2_PROTOBUF.slice('application/'.length)) return { format: 'protobuf', contentType: 'application/octet-stream' };
    if ((range.type === 'application' && (range.subtype === 'json' || range.subtype === '*')) || (range.type === '*' && range.subtype === '*')) {
      return { format: 'json', contentType: 'application/json' };
    }
  }
  return undefined;
}

/** `/openapi/v3`: where each group/version's document lives, with a content hash for caching. */
export function openApiV3Index(): { paths: Record<string, { serverRelativeURL: string }> } {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const gv of catalog()) {
    const key = groupVersionPath(gv);
    paths[key] = { serverRelativeURL: `/openapi/v3/${key}?hash=${v3Entry(key)!.hash}` };
  }
  return { paths };
}

/** `/openapi/v3/<api/v1 | apis/<group>/<version>>`; undefined for one we do not serve. */
export function openApiV3Doc(groupVersionPath: string): JsonSchema | undefined {
  return v3Entry(groupVersionPath)?.doc;
}

/** The same, serialised once, with its hash (compare with `?hash=` to answer immutable). */
export function openApiV3DocText(groupVersionPath: string): { text: string; hash: string } | undefined {
  const entry = v3Entry(groupVersionPath);
  return entry && { text: entry.text, hash: entry.hash };
}
