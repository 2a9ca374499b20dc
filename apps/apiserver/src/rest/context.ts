import { ResourceInfo } from '@coxswain/api';
import { UserInfo } from '../auth/tokens';
import { RequestInfo } from '../request/request-info';

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

export function queryFlag(query: URLSearchParams, name: string): boolean {
  const value = query.get(name);
  return value === '1' || value === 'true';
}

export function isDryRun(query: URLSearchParams): boolean {
  return query.getAll('dryRun').includes('All');
}
