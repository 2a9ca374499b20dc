// `coxctl describe svc`: kubectl's service page, then every endpoint behind it — Pods and
// VMIs alike — with its address, node and readiness.
import { Obj } from '../types';
import { DescribeWriter, writeAnnotations, writeEvents, writeMap } from './writer';

const ipPort = (address: string, port: number | undefined) => (port === undefined ? address : `${address}:${port}`);

/** kubectl's `Endpoints:` value for one service port: ready addresses, three then "+ N more...". */
function endpointsFor(port: Obj, slices: Obj[]): string {
  const listed: string[] = [];
  for (const slice of slices) {
    const match = ((slice.ports ?? []) as Obj[]).find((p) => (p.name ?? '') === (port.name ?? '') && (p.protocol ?? 'TCP') === (port.protocol ?? 'TCP'));
    if (!match && (slice.ports ?? []).length) continue;
    for (const e of (slice.endpoints ?? []) as Obj[]) if (e.conditions?.ready !== false) for (const a of e.addresses ?? []) listed.push(ipPort(a, match?.port));
  }
  if (!listed.length) return '<none>';
  return listed.length > 3 ? `${listed.slice(0, 3).join(',')} + ${listed.length - 3} more...` : listed.join(',');
}

export function describeService(svc: Obj, slices: Obj[], events: Obj[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  const spec = svc.spec ?? {};
  w.write(0, `Name:\t${svc.metadata?.name}\n`);
  w.write(0, `Namespace:\t${svc.metadata?.namespace ?? ''}\n`);
  writeMap(w, 0, 'Labels', svc.metadata?.labels);
  writeAnnotations(w, 0, svc.metadata?.annotations);
  writeMap(w, 0, 'Selector', spec.selector);
  w.write(0, `Type:\t${spec.type ?? 'ClusterIP'}\n`);
  if (spec.ipFamilyPolicy) w.write(0, `IP Family Policy:\t${spec.ipFamilyPolicy}\n`);
  if (spec.ipFamilies?.length) w.write(0, `IP Families:\t${spec.ipFamilies.join(',')}\n`);
  if (spec.clusterIP) w.write(0, `IP:\t${spec.clusterIP}\n`);
  if (spec.clusterIPs?.length) w.write(0, `IPs:\t${spec.clusterIPs.join(',')}\n`);
  if (spec.externalIPs?.length) w.write(0, `External IPs:\t${spec.externalIPs.join(',')}\n`);
  if (spec.type === 'ExternalName') w.write(0, `External Name:\t${spec.externalName}\n`);
  for (const port of (spec.ports ?? []) as Obj[]) {
    const name = port.name || '<unset>';
    const protocol = port.protocol ?? 'TCP';
    w.write(0, `Port:\t${name}\t${port.port}/${protocol}\n`);
    w.write(0, `TargetPort:\t${port.targetPort ?? port.port}/${protocol}\n`);
    if (port.nodePort) w.write(0, `NodePort:\t${name}\t${port.nodePort}/${protocol}\n`);
    w.write(0, `Endpoints:\t${endpointsFor(port, slices)}\n`);
  }
  w.write(0, `Session Affinity:\t${spec.sessionAffinity ?? 'None'}\n`);
  if (spec.sessionAffinity === 'ClientIP') w.write(0, `Session Affinity Timeout:\t${spec.sessionAffinityConfig?.clientIP?.timeoutSeconds ?? 10800}s\n`);
  if (spec.externalTrafficPolicy) w.write(0, `External Traffic Policy:\t${spec.externalTrafficPolicy}\n`);
  if (spec.internalTrafficPolicy) w.write(0, `Internal Traffic Policy:\t${spec.internalTrafficPolicy}\n`);
  writeBackends(w, slices);
  writeEvents(w, events, now);
  return w.toString();
}

/** One line per endpoint: what it is (Pod or VirtualMachineInstance), where, and whether it takes traffic. */
function writeBackends(w: DescribeWriter, slices: Obj[]): void {
  const rows = slices.flatMap((slice) =>
    ((slice.endpoints ?? []) as Obj[]).map((e) => {
      const ports = ((slice.ports ?? []) as Obj[]).map((p) => `${p.port}/${p.protocol ?? 'TCP'}`).join(',') || '<none>';
      const state = e.conditions?.ready !== false ? 'Ready' : e.conditions?.terminating ? 'Terminating' : 'NotReady';
      const target = e.targetRef ? `${e.targetRef.kind}/${e.targetRef.name}` : '<none>';
      return `${target}\t${(e.addresses ?? []).join(',')}\t${ports}\t${e.nodeName ?? '<none>'}\t${state}\n`;
    }),
  );
  if (!rows.length) {
    w.write(0, 'Backends:\t<none>\n');
    return;
  }
  w.flush();
  w.write(0, 'Backends:\n  Target\tAddress\tPorts\tNode\tState\n');
  w.write(1, '------\t-------\t-----\t----\t-----\n');
  for (const row of rows.sort()) w.write(1, row);
  w.flush();
}
