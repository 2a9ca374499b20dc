// dnsPolicy / dnsConfig rules with Kubernetes' field paths and wording
// (pkg/apis/core/validation validatePodDNSConfig).
import { isIP } from 'node:net';
import { CauseReason, StatusCause } from '../status/status';
import { isDns1123Subdomain } from './names';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Kubernetes' MaxDNSNameservers, MaxDNSSearchPaths and MaxDNSSearchListChars. */
export const MAX_DNS_NAMESERVERS = 3;
export const MAX_DNS_SEARCH_PATHS = 32;
export const MAX_DNS_SEARCH_LIST_CHARS = 2048;

const show = (value: unknown): string => JSON.stringify(value);
const invalid = (field: string, value: unknown, why: string): StatusCause => ({ reason: CauseReason.Invalid, field, message: `Invalid value: ${show(value)}: ${why}` });
const required = (field: string, why: string): StatusCause => ({ reason: CauseReason.Required, field, message: `Required value: ${why}` });
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((s): s is string => typeof s === 'string') : []);

export function checkPodDns(spec: Obj, path: string): StatusCause[] {
  const causes: StatusCause[] = [];
  const at = `${path}.dnsConfig`;
  const config = isObj(spec.dnsConfig) ? spec.dnsConfig : undefined;
  if (spec.dnsPolicy === 'None') {
    if (!config) return [required(at, 'must provide `dnsConfig` when `dnsPolicy` is None')];
    if (strings(config.nameservers).length === 0) return [required(`${at}.nameservers`, 'must provide at least one DNS nameserver when `dnsPolicy` is None')];
  }
  if (!config) return causes;
  const nameservers = strings(config.nameservers);
  if (nameservers.length > MAX_DNS_NAMESERVERS) causes.push(invalid(`${at}.nameservers`, nameservers, `must not have more than ${MAX_DNS_NAMESERVERS} nameservers`));
  nameservers.forEach((ns, i) => {
    if (!isIP(ns)) causes.push(invalid(`${at}.nameservers[${i}]`, ns, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  const searches = strings(config.searches);
  if (searches.length > MAX_DNS_SEARCH_PATHS) causes.push(invalid(`${at}.searches`, searches, `must not have more than ${MAX_DNS_SEARCH_PATHS} search paths`));
  if (searches.join(' ').length > MAX_DNS_SEARCH_LIST_CHARS) causes.push(invalid(`${at}.searches`, searches, `must not have more than ${MAX_DNS_SEARCH_LIST_CHARS} characters (including spaces) in the search list`));
  searches.forEach((search, i) => {
    // A trailing dot is fine.
    for (const problem of isDns1123Subdomain(search.replace(/\.$/, ''))) causes.push(invalid(`${at}.searches[${i}]`, search, problem));
  });
  (Array.isArray(config.options) ? config.options : []).forEach((option: unknown, i: number) => {
    if (!isObj(option) || typeof option.name !== 'string' || option.name === '') causes.push(required(`${at}.options[${i}]`, 'must not be empty'));
  });
  return causes;
}
