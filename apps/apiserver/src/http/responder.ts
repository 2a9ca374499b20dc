// Writes JSON answers and Status errors; records metrics and one structured log per request.
import { IncomingMessage, ServerResponse } from 'node:http';
import { findResource, Status, toStatus } from '@coxswain/api';
import { Logger } from 'pino';
import { ApiServerMetrics } from '../observability/metrics';
import { RequestInfo } from '../request/request-info';

export function sendJson(res: ServerResponse, code: number, body: unknown, contentType = 'application/json'): void {
  if (res.headersSent) {
    if (!res.writableEnded) res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(code, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'cache-control': 'no-cache, private' });
  res.end(text);
}

export function sendStatus(res: ServerResponse, error: unknown): Status {
  const status = toStatus(error);
  if (status.code === 401) res.setHeader('www-authenticate', 'Bearer realm="coxswain"');
  if (status.details?.retryAfterSeconds !== undefined && !res.headersSent) res.setHeader('retry-after', String(status.details.retryAfterSeconds));
  sendJson(res, status.code, status);
  return status;
}

export interface RequestRecord {
  req: IncomingMessage;
  info?: RequestInfo;
  user?: string;
  code: number;
  started: bigint;
  status?: Status;
}

/** Kubernetes reports HTTP-ish verbs in metrics: POST for create, LIST/WATCH for collections. */
const REPORTED_VERBS: Record<string, string> = { create: 'POST', update: 'PUT', patch: 'PATCH', delete: 'DELETE', get: 'GET', list: 'LIST', watch: 'WATCH', deletecollection: 'DELETECOLLECTION' };

const scopeOf = (info: RequestInfo) => (info.name ? 'resource' : info.namespace ? 'namespace' : 'cluster');

/**
 * The resource labels of a request, only for authenticated requests to resources this server
 * serves: anything else would let an anonymous client mint a new time series per path.
 */
function resourceLabels(info: RequestInfo | undefined, authenticated: boolean): { group: string; version: string; resource: string; subresource: string } {
  const none = { group: '', version: '', resource: '', subresource: '' };
  if (!info?.isResourceRequest || !authenticated || !info.resource) return none;
  if (info.group === 'metrics.k8s.io') return ['pods', 'nodes'].includes(info.resource) ? { group: info.group, version: info.version, resource: info.resource, subresource: '' } : none;
  const served = findResource(info.group, info.version, info.resource);
  if (!served) return none;
  const subresource = info.subresource && served.subresources.includes(info.subresource) ? info.subresource : '';
  return { group: info.group, version: info.version, resource: info.resource, subresource };
}

export function recordRequest(metrics: ApiServerMetrics, logger: Logger, record: RequestRecord): void {
  const seconds = Number(process.hrtime.bigint() - record.started) / 1e9;
  const info = record.info;
  const labels = {
    verb: info?.isResourceRequest ? (REPORTED_VERBS[info.verb] ?? info.verb.toUpperCase()) : (record.req.method ?? 'GET'),
    ...resourceLabels(info, record.user !== undefined),
    scope: info?.isResourceRequest ? scopeOf(info) : '',
  };
  metrics.requests.inc({ ...labels, code: String(record.code) });
  if (info?.verb !== 'watch') metrics.duration.observe(labels, seconds);
  // Built only when it will be written: at warn or error level a request makes no log object.
  const entry = () => ({
    method: record.req.method,
    path: record.req.url,
    code: record.code,
    user: record.user,
    ms: Math.round(seconds * 1000 * 10) / 10,
    ...(record.status && record.code >= 400 ? { reason: record.status.reason, message: record.status.message } : {}),
  });
  if (record.code >= 500) logger.error(entry(), 'request failed');
  else if (logger.isLevelEnabled('info')) logger.info(entry(), 'request');
}
