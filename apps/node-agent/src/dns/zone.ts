// The cluster DNS zone (Kubernetes DNS specification, as CoreDNS serves it), built from Services
// and EndpointSlices. Pure: `buildZone` indexes the records, `resolve` answers one question.
//   <svc>.<ns>.svc.<zone>                 A: the ClusterIP; headless: one per ready endpoint
//                                          (every endpoint with publishNotReadyAddresses);
//                                          ExternalName: CNAME
//   <hostname>.<svc>.<ns>.svc.<zone>      A: a headless endpoint with a hostname (StatefulSets);
//   <a-b-c-d>.<svc>.<ns>.svc.<zone>       A: a headless endpoint without one
//   _<port>._<proto>.<svc>.<ns>.svc.<zone> SRV for named ports (headless: one per endpoint)
//   <a-b-c-d>.<ns>.pod.<zone>             A: a.b.c.d (CoreDNS `pods insecure`, kubeadm's default)
// A name that exists with no record of the asked type is NODATA (NOERROR, empty answer, SOA in
// authority); a name that does not exist is NXDOMAIN. A headless Service without ready
// endpoints has no name at all (NXDOMAIN), as kube-dns and CoreDNS answer.
import type { Answer as AnyAnswer, OptAnswer } from 'dns-packet';
import { isReady, isTerminating, slicesByService, slicesOf } from '../proxy/endpoints';
import { EndpointSliceView, EndpointView, isHeadless, ServiceView } from '../proxy/shapes';

/** A resource record (the OPT pseudo-record never appears in a zone). */
export type Answer = Exclude<AnyAnswer, OptAnswer>;

export interface ZoneInput {
  services: readonly ServiceView[];
  slices: readonly EndpointSliceView[];
  /** Cluster domain, e.g. `cluster.local`. */
  domain: string;
  ttl?: number;
}

export interface Zone {
  domain: string;
  ttl: number;
  records: Map<string, Answer[]>;
  /** Every name that exists, with records or as an empty non-terminal (e.g. `ns.svc.zone`). */
  names: Set<string>;
}

export type Rcode = 'NOERROR' | 'NXDOMAIN';

export interface Resolution {
  rcode: Rcode;
  answers: Answer[];
  authorities: Answer[];
  additionals: Answer[];
}

export const normalize = (name: string) => name.toLowerCase().replace(/\.$/, '');
const dashed = (ip: string) => ip.replace(/\./g, '-');
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(-(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/** Whether `name` is in the cluster domain (and so answered here, not forwarded). */
export function inZone(name: string, domain: string): boolean {
  const n = normalize(name);
  return n === domain || n.endsWith(`.${domain}`);
}

export function buildZone(input: ZoneInput): Zone {
  const zone: Zone = { domain: input.domain, ttl: input.ttl ?? 5, records: new Map(), names: new Set() };
  const index = slicesByService(input.slices);
  for (const svc of input.services) {
    if (svc.metadata.deletionTimestamp) continue;
    const base = `${svc.metadata.name}.${svc.metadata.namespace ?? 'default'}.svc.${input.domain}`;
    addName(zone, `${svc.metadata.namespace ?? 'default'}.svc.${input.domain}`);
    if (svc.spec?.type === 'ExternalName') {
      if (svc.spec.externalName) add(zone, { type: 'CNAME', name: base, ttl: zone.ttl, data: normalize(svc.spec.externalName) });
      continue;
    }
    if (!isHeadless(svc)) {
      add(zone, { type: 'A', name: base, ttl: zone.ttl, data: svc.spec!.clusterIP! });
      for (const port of svc.spec?.ports ?? []) {
        if (!port.name) continue;
        add(zone, srv(zone, port.name, port.protocol, base, { port: port.port, target: base, weight: 100 }));
      }
      continue;
    }
    const publishAll = svc.spec?.publishNotReadyAddresses === true;
    const slices = slicesOf(svc, index);
    const endpoints = dedupe(slices.flatMap((s) => (s.endpoints ?? []).filter((e) => publishAll || (isReady(e) && !isTerminating(e)))));
    for (const e of endpoints) {
      const ip = e.addresses[0];
      add(zone, { type: 'A', name: base, ttl: zone.ttl, data: ip });
      add(zone, { type: 'A', name: `${endpointLabel(e)}.${base}`, ttl: zone.ttl, data: ip });
    }
    const ports = new Map<string, { protocol?: string; port: number }>();
    for (const s of slices) for (const p of s.ports ?? []) if (p.name && p.port) ports.set(`${p.name}/${p.protocol ?? 'TCP'}`, { protocol: p.protocol, port: p.port });
    for (const [key, port] of ports) {
      const name = key.split('/')[0];
      for (const e of endpoints) {
        add(zone, srv(zone, name, port.protocol, base, { port: port.port, target: `${endpointLabel(e)}.${base}`, weight: Math.floor(100 / endpoints.length) }));
      }
    }
  }
  return zone;
}

const endpointLabel = (e: EndpointView) => (e.hostname ? e.hostname.toLowerCase() : dashed(e.addresses[0]));

function dedupe(list: EndpointView[]): EndpointView[] {
  const seen = new Set<string>();
  return list.filter((e) => e.addresses?.[0] && !seen.has(e.addresses[0]) && seen.add(e.addresses[0]));
}

function srv(zone: Zone, portName: string, protocol: string | undefined, base: string, data: { port: number; target: string; weight: number }): Answer {
  return { type: 'SRV', name: `_${portName.toLowerCase()}._${(protocol ?? 'TCP').toLowerCase()}.${base}`, ttl: zone.ttl, data: { priority: 0, ...data } };
}

function add(zone: Zone, answer: Answer): void {
  const list = zone.records.get(answer.name);
  if (list) {
    if (!list.some((a) => a.type === answer.type && JSON.stringify(a.data) === JSON.stringify(answer.data))) list.push(answer);
  } else {
    zone.records.set(answer.name, [answer]);
  }
  addName(zone, answer.name);
}

/** Marks a name and every ancestor up to the zone apex as existing. */
function addName(zone: Zone, name: string): void {
  for (let n = name; n.length >= zone.domain.length; n = n.slice(n.indexOf('.') + 1)) {
    zone.names.add(n);
    if (n === zone.domain || !n.includes('.')) break;
  }
}

export function soa(zone: Zone): Answer {
  return {
    type: 'SOA',
    name: zone.domain,
    ttl: zone.ttl,
    data: { mname: `ns.dns.${zone.domain}`, rname: `hostmaster.${zone.domain}`, serial: 1, refresh: 7200, retry: 1800, expire: 86400, minimum: zone.ttl },
  };
}

/** Answers one question for a name inside the zone. */
export function resolve(zone: Zone, qname: string, qtype: string): Resolution {
  const name = normalize(qname);
  const empty = (rcode: Rcode): Resolution => ({ rcode, answers: [], authorities: [soa(zone)], additionals: [] });
  const podRecord = podAddress(zone, name);
  if (podRecord !== undefined) {
    if (podRecord === null) return empty('NOERROR');
    return qtype === 'A' || qtype === 'ANY' ? { rcode: 'NOERROR', answers: [{ type: 'A', name, ttl: zone.ttl, data: podRecord }], authorities: [], additionals: [] } : empty('NOERROR');
  }
  if (name === zone.domain && qtype === 'SOA') return { rcode: 'NOERROR', answers: [soa(zone)], authorities: [], additionals: [] };
  if (!zone.names.has(name)) return empty('NXDOMAIN');
  const all = zone.records.get(name) ?? [];
  const cname = all.filter((a) => a.type === 'CNAME');
  const answers = qtype === 'ANY' ? all : all.filter((a) => a.type === qtype);
  if (answers.length === 0 && cname.length) return { rcode: 'NOERROR', answers: cname, authorities: [], additionals: [] };
  if (answers.length === 0) return empty('NOERROR');
  const additionals = answers.flatMap((a) => (a.type === 'SRV' ? (zone.records.get(a.data.target) ?? []).filter((r) => r.type === 'A') : []));
  return { rcode: 'NOERROR', answers, authorities: [], additionals: dedupeAnswers(additionals) };
}

function dedupeAnswers(list: Answer[]): Answer[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const key = `${a.name} ${JSON.stringify(a.data)}`;
    return !seen.has(key) && seen.add(key);
  });
}

/**
 * `a-b-c-d.<ns>.pod.<zone>` → the address; `<ns>.pod.<zone>` and `pod.<zone>` exist without
 * records (null); undefined when the name is not under `pod.<zone>`.
 */
function podAddress(zone: Zone, name: string): string | null | undefined {
  const suffix = `pod.${zone.domain}`;
  if (name === suffix) return null;
  if (!name.endsWith(`.${suffix}`)) return undefined;
  const labels = name.slice(0, -suffix.length - 1).split('.');
  if (labels.length === 1) return null;
  if (labels.length === 2 && IPV4.test(labels[0])) return labels[0].replace(/-/g, '.');
  return undefined;
}
