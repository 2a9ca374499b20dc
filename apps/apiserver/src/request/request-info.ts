// Turns a request path into what it addresses, like Kubernetes' RequestInfoFactory:
// /api/v1/namespaces/ns/pods/name/log → {group:'', version:'v1', namespace, resource:'pods', name, subresource:'log'}.
import { queryBool } from './query';

export interface RequestInfo {
  isResourceRequest: boolean;
  path: string;
  /** Kubernetes verb: get list watch create update patch delete deletecollection. */
  verb: string;
  apiPrefix?: 'api' | 'apis';
  group: string;
  version: string;
  namespace?: string;
  resource?: string;
  name?: string;
  subresource?: string;
  /** Path segments after the subresource (proxy-like paths); unused for now. */
  rest: string[];
}

const METHOD_VERBS: Record<string, string> = { POST: 'create', PUT: 'update', PATCH: 'patch', DELETE: 'delete', GET: 'get', HEAD: 'get' };

export function parseRequestInfo(method: string, rawPath: string, query: URLSearchParams): RequestInfo {
  const path = rawPath.split('?')[0];
  const parts = path.split('/').filter(Boolean).map((p) => decodeURIComponent(p));
  const info: RequestInfo = { isResourceRequest: false, path, verb: METHOD_VERBS[method] ?? method.toLowerCase(), group: '', version: '', namespace: undefined, rest: [] };
  if (parts[0] !== 'api' && parts[0] !== 'apis') return info;
  info.apiPrefix = parts[0];
  let i = 1;
  if (info.apiPrefix === 'apis') {
    if (parts.length < 3) return info; // /apis or /apis/<group>: discovery
    info.group = parts[i++];
  } else if (parts.length < 2) return info; // /api
  info.version = parts[i++];
  let rest = parts.slice(i);
  if (rest.length === 0) return info; // /api/v1 discovery
  info.isResourceRequest = true;
  // /namespaces/{ns}/{resource}... — but /namespaces and /namespaces/{name}[/status] address namespaces.
  if (rest[0] === 'namespaces') {
    if (rest.length === 3 && (rest[2] === 'status' || rest[2] === 'finalize')) {
      info.resource = 'namespaces';
      info.name = rest[1];
      info.subresource = rest[2];
      rest = [];
    } else if (rest.length > 2) {
      info.namespace = rest[1];
      rest = rest.slice(2);
    } else if (rest.length === 2) {
      info.name = rest[1];
      info.resource = 'namespaces';
      rest = [];
    } else {
      info.resource = 'namespaces';
      rest = [];
    }
  }
  if (rest.length > 0) {
    info.resource = rest[0];
    if (rest.length > 1) info.name = rest[1];
    if (rest.length > 2) info.subresource = rest[2];
    info.rest = rest.slice(3);
  }
  const isWatch = queryBool(query, 'watch');
  if (info.verb === 'get' && !info.name) info.verb = isWatch ? 'watch' : 'list';
  else if (info.verb === 'get' && isWatch) info.verb = 'watch';
  if (info.verb === 'delete' && !info.name) info.verb = 'deletecollection';
  return info;
}
