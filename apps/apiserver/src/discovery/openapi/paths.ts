// The REST paths of one group/version as kube-apiserver publishes them, flavour-neutral.
// kubectl reads two things here: the GVK on each operation (explain finds a resource's
// schema through its collection or item path) and whether PATCH takes `fieldValidation`
// (then `--validate=strict` is left to the server).
import { CatalogGroupVersion, CatalogResource, CatalogSubresource } from '../catalog';
import { kindDefinitionName } from './names';
import { DELETE_OPTIONS, PATCH, STATUS } from './static-schemas';

export type ParamType = 'string' | 'boolean' | 'integer';

export interface ParamSpec {
  name: string;
  in: 'query' | 'path';
  type: ParamType;
  description: string;
  required?: boolean;
}

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export type Method = 'get' | 'put' | 'post' | 'patch' | 'delete';

export interface ResponseSpec {
  code: string;
  description: string;
  /** Definition name of a JSON body, or 'text' for text/plain. */
  body?: string;
}

export interface OperationSpec {
  method: Method;
  operationId: string;
  description: string;
  /** x-kubernetes-action: get list watch post put patch delete deletecollection connect. */
  action: string;
  gvk: Gvk;
  tag: string;
  query: ParamSpec[];
  /** Definition name of the request body; PATCH bodies are meta/v1 Patch in the patch media types. */
  body?: string;
  responses: ResponseSpec[];
}

export interface PathSpec {
  path: string;
  params: ParamSpec[];
  operations: OperationSpec[];
}

const q = (name: string, type: ParamType, description: string): ParamSpec => ({ name, in: 'query', type, description });

const P = {
  pretty: q('pretty', 'string', "If 'true', then the output is pretty printed."),
  dryRun: q('dryRun', 'string', 'When present, indicates that modifications should not be persisted. The only valid value is All.'),
  fieldManager: q('fieldManager', 'string', 'fieldManager is a name associated with the actor or entity that is making these changes.'),
  fieldValidation: q(
    'fieldValidation',
    'string',
    'fieldValidation instructs the server on how to handle objects in the request (POST/PUT/PATCH) containing unknown or duplicate fields. Valid values are: - Ignore - Warn - Strict',
  ),
  force: q('force', 'boolean', 'Force is going to "force" Apply requests. It means user will re-acquire conflicting fields owned by other people.'),
  gracePeriodSeconds: q('gracePeriodSeconds', 'integer', 'The duration in seconds before the object should be deleted. Zero means delete immediately.'),
  propagationPolicy: q('propagationPolicy', 'string', "Whether and how garbage collection will be performed. Acceptable values are: 'Orphan', 'Background', 'Foreground'."),
  allowWatchBookmarks: q('allowWatchBookmarks', 'boolean', 'allowWatchBookmarks requests watch events with type "BOOKMARK".'),
  continue: q('continue', 'string', 'The continue option should be set when retrieving more results from the server.'),
  fieldSelector: q('fieldSelector', 'string', 'A selector to restrict the list of returned objects by their fields. Defaults to everything.'),
  labelSelector: q('labelSelector', 'string', 'A selector to restrict the list of returned objects by their labels. Defaults to everything.'),
  limit: q('limit', 'integer', 'limit is a maximum number of responses to return for a list call.'),
  resourceVersion: q('resourceVersion', 'string', 'resourceVersion sets a constraint on what resource versions a request may be served from.'),
  resourceVersionMatch: q('resourceVersionMatch', 'string', 'resourceVersionMatch determines how resourceVersion is applied to list calls.'),
  sendInitialEvents: q('sendInitialEvents', 'boolean', 'sendInitialEvents=true may be set together with watch=true.'),
  timeoutSeconds: q('timeoutSeconds', 'integer', 'Timeout for the list/watch call.'),
  watch: q('watch', 'boolean', 'Watch for changes to the described resources and return them as a stream of add, update, and remove notifications.'),
  container: q('container', 'string', 'The container for which to stream logs or run the command. Defaults to only container if there is one container in the pod.'),
  follow: q('follow', 'boolean', 'Follow the log stream of the pod. Defaults to false.'),
  limitBytes: q('limitBytes', 'integer', 'If set, the number of bytes to read from the server before terminating the log output.'),
  previous: q('previous', 'boolean', 'Return previous terminated container logs. Defaults to false.'),
  sinceSeconds: q('sinceSeconds', 'integer', 'A relative time in seconds before the current time from which to show logs.'),
  tailLines: q('tailLines', 'integer', 'If set, the number of lines from the end of the logs to show.'),
  timestamps: q('timestamps', 'boolean', 'If true, add an RFC3339 or RFC3339Nano timestamp at the beginning of every line of log output.'),
  command: q('command', 'string', 'Command is the remote command to execute. argv array. Not executed within a shell.'),
  stdin: q('stdin', 'boolean', 'Redirect the standard input stream of the pod for this call. Defaults to false.'),
  stdout: q('stdout', 'boolean', 'Redirect the standard output stream of the pod for this call.'),
  stderr: q('stderr', 'boolean', 'Redirect the standard error stream of the pod for this call.'),
  tty: q('tty', 'boolean', 'TTY if true indicates that a tty will be allocated for the exec call. Defaults to false.'),
};

const LIST_QUERY = [P.allowWatchBookmarks, P.continue, P.fieldSelector, P.labelSelector, P.limit, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds, P.watch];
const WRITE_QUERY = [P.dryRun, P.fieldManager, P.fieldValidation];
const PATCH_QUERY = [...WRITE_QUERY, P.force];
const DELETE_QUERY = [P.dryRun, P.gracePeriodSeconds, P.propagationPolicy];
const DELETE_COLLECTION_QUERY = [P.continue, P.dryRun, P.fieldSelector, P.gracePeriodSeconds, P.labelSelector, P.limit, P.propagationPolicy, P.resourceVersion, P.resourceVersionMatch, P.sendInitialEvents, P.timeoutSeconds];
const LOG_QUERY = [P.container, P.follow, P.limitBytes, P.previous, P.sinceSeconds, P.tailLines, P.timestamps];
const EXEC_QUERY = [P.command, P.container, P.stderr, P.stdin, P.stdout, P.tty];

const NAME: ParamSpec = { name: 'name', in: 'path', type: 'string', required: true, description: 'name of the resource' };
const NAMESPACE: ParamSpec = { name: 'namespace', in: 'path', type: 'string', required: true, description: 'object name and auth scope, such as for teams and projects' };

const UNAUTHORIZED: ResponseSpec = { code: '401', description: 'Unauthorized' };
const ok = (body: string): ResponseSpec => ({ code: '200', description: 'OK', body });
const created = (body: string): ResponseSpec => ({ code: '201', description: 'Created', body });
const accepted = (body: string): ResponseSpec => ({ code: '202', description: 'Accepted', body });

/** `coordination.k8s.io` → `Coordination`, `kubevirt.io` → `KubevirtIo`, '' → `Core`. */
function groupWord(group: string): string {
  if (group === '') return 'Core';
  return group
    .replace(/\.k8s\.io$/, '')
    .split('.')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

const capital = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

function tagFor(gv: CatalogGroupVersion): string {
  const word = groupWord(gv.group);
  return `${word.charAt(0).toLowerCase()}${word.slice(1)}_${gv.version}`;
}

/** The definition holding a subresource's body, and the GVK operations on it carry. */
function subresourceKind(gv: CatalogGroupVersion, r: CatalogResource, sub: CatalogSubresource): { def: string; gvk: Gvk } {
  if (sub.kind === 'Binding') return { def: 'io.k8s.api.core.v1.Binding', gvk: { group: '', version: 'v1', kind: 'Binding' } };
  const group = sub.group ?? gv.group;
  const version = sub.version ?? gv.version;
  const known = sub.kind === r.kind || sub.kind === 'Scale' || sub.kind === 'Eviction';
  return { def: known ? kindDefinitionName(group, version, sub.kind) : kindDefinitionName(gv.group, gv.version, r.kind), gvk: { group, version, kind: sub.kind } };
}

function subresourceOperations(gv: CatalogGroupVersion, r: CatalogResource, sub: CatalogSubresource, ids: { base: string }): OperationSpec[] {
  const { def, gvk } = subresourceKind(gv, r, sub);
  const name = `${ids.base}${capital(sub.name)}`;
  const tag = tagFor(gv);
  const common = { gvk, tag };
  const ops: OperationSpec[] = [];
  const connect = sub.name === 'exec' || sub.name === 'console';
  for (const verb of sub.verbs) {
    if (connect) {
      const method: Method = verb === 'create' ? 'post' : 'get';
      ops.push({
        ...common,
        method,
        operationId: `connect${groupWord(gv.group)}${capital(gv.version)}${capital(method)}${name}`,
        description: `connect ${method.toUpperCase()} requests to ${sub.name} of ${r.kind}`,
        action: 'connect',
        query: sub.name === 'exec' ? EXEC_QUERY : [],
        responses: [{ code: '200', description: 'OK', body: 'text' }, UNAUTHORIZED],
      });
    } else if (sub.name === 'log') {
      ops.push({ ...common, method: 'get', operationId: `read${groupWord(gv.group)}${capital(gv.version)}${name}`, description: `read log of the specified ${r.kind}`, action: 'get', query: LOG_QUERY, responses: [{ code: '200', description: 'OK', body: 'text' }, UNAUTHORIZED] });
    } else if (verb === 'get') {
      ops.push({ ...common, method: 'get', operationId: `read${groupWord(gv.group)}${capital(gv.version)}${name}`, description: `read ${sub.name} of the specified ${r.kind}`, action: 'get', query: [], responses: [ok(def), UNAUTHORIZED] });
    } else if (verb === 'update') {
      const body = ['start', 'stop', 'restart'].includes(sub.name) ? undefined : def;
      ops.push({
        ...common,
        method: 'put',
        operationId: `replace${groupWord(gv.group)}${capital(gv.version)}${name}`,
        description: `replace ${sub.name} of the specified ${r.kind}`,
        action: 'put',
        query: WRITE_QUERY,
        body,
        responses: body ? [ok(def), created(def), UNAUTHORIZED] : [{ code: '202', description: 'Accepted' }, UNAUTHORIZED],
      });
    } else if (verb === 'patch') {
      ops.push({ ...common, method: 'patch', operationId: `patch${groupWord(gv.group)}${capital(gv.version)}${name}`, description: `partially update ${sub.name} of the specified ${r.kind}`, action: 'patch', query: PATCH_QUERY, body: PATCH, responses: [ok(def), created(def), UNAUTHORIZED] });
    } else if (verb === 'create') {
      ops.push({ ...common, method: 'post', operationId: `create${groupWord(gv.group)}${capital(gv.version)}${name}`, description: `create ${sub.name} of a ${r.kind}`, action: 'post', query: WRITE_QUERY, body: def, responses: [ok(def), created(def), accepted(def), UNAUTHORIZED] });
    }
  }
  return ops;
}

function resourcePaths(gv: CatalogGroupVersion, r: CatalogResource): PathSpec[] {
  const prefix = gv.group === '' ? `/api/${gv.version}` : `/apis/${gv.group}/${gv.version}`;
  const gw = `${groupWord(gv.group)}${capital(gv.version)}`;
  const scoped = r.namespaced ? 'Namespaced' : '';
  const gvk: Gvk = { group: gv.group, version: gv.version, kind: r.kind };
  const kindDef = kindDefinitionName(gv.group, gv.version, r.kind);
  const listDef = kindDefinitionName(gv.group, gv.version, r.listKind ?? `${r.kind}List`);
  const tag = tagFor(gv);
  const can = (verb: string): boolean => r.verbs.includes(verb);
  const collection = r.namespaced ? `${prefix}/namespaces/{namespace}/${r.plural}` : `${prefix}/${r.plural}`;
  const scopeParams = r.namespaced ? [NAMESPACE, P.pretty] : [P.pretty];
  const op = (o: Omit<OperationSpec, 'gvk' | 'tag'>): OperationSpec => ({ ...o, gvk, tag });

  const collectionOps: OperationSpec[] = [];
  if (can('list')) collectionOps.push(op({ method: 'get', operationId: `list${gw}${scoped}${r.kind}`, description: `list or watch objects of kind ${r.kind}`, action: 'list', query: LIST_QUERY, responses: [ok(listDef), UNAUTHORIZED] }));
  if (can('create')) collectionOps.push(op({ method: 'post', operationId: `create${gw}${scoped}${r.kind}`, description: `create a ${r.kind}`, action: 'post', query: WRITE_QUERY, body: kindDef, responses: [ok(kindDef), created(kindDef), accepted(kindDef), UNAUTHORIZED] }));
  if (can('deletecollection')) {
    collectionOps.push(op({ method: 'delete', operationId: `delete${gw}Collection${scoped}${r.kind}`, description: `delete collection of ${r.kind}`, action: 'deletecollection', query: DELETE_COLLECTION_QUERY, body: DELETE_OPTIONS, responses: [ok(STATUS), UNAUTHORIZED] }));
  }

  const itemOps: OperationSpec[] = [];
  if (can('get')) itemOps.push(op({ method: 'get', operationId: `read${gw}${scoped}${r.kind}`, description: `read the specified ${r.kind}`, action: 'get', query: [], responses: [ok(kindDef), UNAUTHORIZED] }));
  if (can('update')) itemOps.push(op({ method: 'put', operationId: `replace${gw}${scoped}${r.kind}`, description: `replace the specified ${r.kind}`, action: 'put', query: WRITE_QUERY, body: kindDef, responses: [ok(kindDef), created(kindDef), UNAUTHORIZED] }));
  if (can('patch')) itemOps.push(op({ method: 'patch', operationId: `patch${gw}${scoped}${r.kind}`, description: `partially update the specified ${r.kind}`, action: 'patch', query: PATCH_QUERY, body: PATCH, responses: [ok(kindDef), created(kindDef), UNAUTHORIZED] }));
  if (can('delete')) itemOps.push(op({ method: 'delete', operationId: `delete${gw}${scoped}${r.kind}`, description: `delete a ${r.kind}`, action: 'delete', query: DELETE_QUERY, body: DELETE_OPTIONS, responses: [ok(STATUS), accepted(STATUS), UNAUTHORIZED] }));

  const paths: PathSpec[] = [];
  if (collectionOps.length) paths.push({ path: collection, params: scopeParams, operations: collectionOps });
  if (itemOps.length) paths.push({ path: `${collection}/{name}`, params: [NAME, ...scopeParams], operations: itemOps });
  for (const sub of r.subresources) {
    const ops = subresourceOperations(gv, r, sub, { base: `${scoped}${r.kind}` });
    if (ops.length) paths.push({ path: `${collection}/{name}/${sub.name}`, params: [NAME, ...scopeParams], operations: ops });
  }
  if (r.namespaced && can('list')) {
    paths.push({
      path: `${prefix}/${r.plural}`,
      params: [P.pretty],
      operations: [op({ method: 'get', operationId: `list${gw}${r.kind}ForAllNamespaces`, description: `list or watch objects of kind ${r.kind}`, action: 'list', query: LIST_QUERY, responses: [ok(listDef), UNAUTHORIZED] })],
    });
  }
  return paths;
}

/** Every path of a group/version, sorted by path like kube-apiserver's document. */
export function groupVersionPaths(gv: CatalogGroupVersion): PathSpec[] {
  return gv.resources.flatMap((r) => resourcePaths(gv, r)).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Definition names a set of paths refers to directly. */
export function referencedDefinitions(paths: PathSpec[]): string[] {
  const names = new Set<string>();
  for (const p of paths) {
    for (const o of p.operations) {
      if (o.body) names.add(o.body);
      for (const r of o.responses) if (r.body && r.body !== 'text') names.add(r.body);
    }
  }
  return [...names];
}
