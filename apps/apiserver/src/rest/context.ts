import { ResourceInfo } from '@coxswain/api';
import { UserInfo } from '../auth/tokens';
import { RequestInfo } from '../request/request-info';
import { queryBool } from '../request/query';

/** Everything a handler needs to know about one API request. */
export interface RequestContext {
  info: RequestInfo;
  resource: ResourceInfo;
  user: UserInfo;
  query: URLSearchParams;
  now: Date;
  /** Warnings for the `Warning` response header (pruned unknown fields…). */
  warnings: string[];
}

/** A boolean query parameter (`watch`, `follow`, `tty` …) with Kubernetes' parsing rule. */
export function queryFlag(query: URLSearchParams, name: string): boolean {
  return queryBool(query, name);
}

export function isDryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All');
}
