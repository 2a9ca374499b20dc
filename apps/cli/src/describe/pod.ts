// describe pod (and the container blocks deployments and replica sets reuse).
import { Obj } from '../types';
import { age } from '../printers/age';
import { describeTime, DescribeWriter, writeAnnotations, writeEvents, writeMap } from './writer';

function controlledBy(obj: Obj): string | undefined {
  const ref = ((obj.metadata?.ownerReferences ?? []) as Obj[]).find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : undefined;
}

function portText(ports: Obj[] | undefined, key: 'containerPort' | 'hostPort'): string {
  if (!ports?.length) return '<none>';
  return ports.map((p) => `${p[key] ?? 0}/${p.protocol ?? 'TCP'}`).join(', ');
}

function writeState(w: DescribeWriter, level: number, title: string, state: Obj | undefined): void {
  if (state?.running) {
    w.write(level, `${title}:\tRunning\n`);
    w.write(level + 1, `Started:\t${describeTime(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(level, `${title}:\tWaiting\n`);
    if (state.waiting.reason) w.write(level + 1, `Reason:\t${state.waiting.reason}\n`);
    if (state.waiting.message) w.write(level + 1, `Message:\t${state.waiting.message}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(level, `${title}:\tTerminated\n`);
    if (t.reason) w.write(level + 1, `Reason:\t${t.reason}\n`);
    if (t.message) w.write(level + 1, `Message:\t${t.message}\n`);
    w.write(level + 1, `Exit Code:\t${t.exitCode ?? 0}\n`);
    if (t.signal) w.write(level + 1, `Signal:\t${t.signal}\n`);
    w.write(level + 1, `Started:\t${describeTime(t.startedAt)}\n`);
    w.write(level + 1, `Finished:\t${describeTime(t.finishedAt)}\n`);
  } else if (title === 'State') {
    w.write(level, `${title}:\tWaiting\n`);
  }
}

function writeResources(w: DescribeWriter, level: number, title: string, list: Record<string, string> | undefined): void {
  const keys = Object.keys(list ?? {}).sort();
  if (!keys.length) return;
  w.write(level, `${title}:\n`);
  for (const k of keys) w.write(level + 1, `${k}:\t${list![k]}\n`);
}

/** The per-container block of describe pod / pod templates. */
export function writeContainers(w: DescribeWriter, level: number, title: string, containers: Obj[], statuses: Obj[] | undefined, template = false): void {
  if (!containers.length) return;
  w.write(level, `${title}:\n`);
  // Pod templates indent container names by one space only (a kubectl quirk kept for familiarity).
  const detail = template ? level + 1 : level + 2;
  for (const c of containers) {
    const st = statuses?.find((s) => s.name === c.name);
    w.write(level, `${template ? ' ' : '  '}${c.name}:\n`);
    if (st) w.write(detail, `Container ID:\t${st.containerID ?? ''}\n`);
    w.write(detail, `Image:\t${c.image ?? ''}\n`);
    if (st) w.write(detail, `Image ID:\t${st.imageID ?? ''}\n`);
    w.write(detail, `Port:\t${portText(c.ports, 'containerPort')}\n`);
    w.write(detail, `Host Port:\t${portText(c.ports, 'hostPort')}\n`);
    if (c.command?.length) {
      w.write(detail, 'Command:\n');
      for (const part of c.command) w.write(detail + 1, `${part}\n`);
    }
    if (c.args?.length) {
      w.write(detail, 'Args:\n');
      for (const part of c.args) w.write(detail + 1, `${part}\n`);
    }
    if (st) {
      writeState(w, detail, 'State', st.state);
      if (st.lastState && Object.keys(st.lastState).length) writeState(w, detail, 'Last State', st.lastState);
      w.write(detail, `Ready:\t${st.ready ? 'True' : 'False'}\n`);
      w.write(detail, `Restart Count:\t${st.restartCount ?? 0}\n`);
    }
    writeResources(w, detail, 'Limits', c.resources?.limits);
    writeResources(w, detail, 'Requests', c.resources?.requests);
    for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
      if (c[probe]) w.write(detail, `${probe[0].toUpperCase()}${probe.slice(1, -5)}:\t${probeText(c[probe])}\n`);
    }
    const env = (c.env ?? []) as Obj[];
    if (!env.length) w.write(detail, 'Environment:\t<none>\n');
    else {
      w.write(detail, 'Environment:\n');
      for (const e of env) w.write(detail + 1, `${e.name}:\t${e.value ?? (e.valueFrom ? `<set from ${Object.keys(e.valueFrom)[0]}>` : '')}\n`);
    }
    const mounts = (c.volumeMounts ?? []) as Obj[];
    if (!mounts.length) w.write(detail, 'Mounts:\t<none>\n');
    else {
      w.write(detail, 'Mounts:\n');
      for (const m of mounts) w.write(detail + 1, `${m.mountPath} from ${m.name} (${m.readOnly ? 'ro' : 'rw'})\n`);
    }
  }
}

function probeText(p: Obj): string {
  const how = p.httpGet ? `http-get ${p.httpGet.scheme === 'HTTPS' ? 'https' : 'http'}://${p.httpGet.host ?? ''}:${p.httpGet.port}${p.httpGet.path ?? ''}` : p.tcpSocket ? `tcp-socket :${p.tcpSocket.port}` : p.exec ? `exec [${(p.exec.command ?? []).join(' ')}]` : 'unknown';
  return `${how} delay=${p.initialDelaySeconds ?? 0}s timeout=${p.timeoutSeconds ?? 1}s period=${p.periodSeconds ?? 10}s #success=${p.successThreshold ?? 1} #failure=${p.failureThreshold ?? 3}`;
}

export function writeVolumes(w: DescribeWriter, level: number, volumes: Obj[] | undefined): void {
  if (!volumes?.length) {
    w.write(level, 'Volumes:\t<none>\n');
    return;
  }
  w.write(level, 'Volumes:\n');
  for (const v of volumes) {
    const type = Object.keys(v).find((k) => k !== 'name') ?? 'unknown';
    w.write(level + 1, `${v.name}:\n`);
    w.write(level + 2, `Type:\t${type}\n`);
  }
}

function qosClass(pod: Obj): string {
  if (pod.status?.qosClass) return pod.status.qosClass;
  const containers = (pod.spec?.containers ?? []) as Obj[];
  const any = containers.some((c) => Object.keys(c.resources?.requests ?? {}).length || Object.keys(c.resources?.limits ?? {}).length);
  if (!any) return 'BestEffort';
  const guaranteed = containers.every((c) => ['cpu', 'memory'].every((r) => c.resources?.limits?.[r] && (c.resources?.requests?.[r] ?? c.resources.limits[r]) === c.resources.limits[r]));
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function writeTolerations(w: DescribeWriter, level: number, tolerations: Obj[] | undefined, title = 'Tolerations'): void {
  if (!tolerations?.length) {
    w.write(level, `${title}:\t<none>\n`);
    return;
  }
  tolerations.forEach((t, i) => {
    let text = t.key ?? '';
    if (t.value) text += `=${t.value}`;
    if (t.effect) text += `:${t.effect}`;
    if (t.operator === 'Exists' && !t.key) text = 'op=Exists' + (t.effect ? ` :${t.effect}` : '');
    else if (t.operator === 'Exists' && !t.value) text += ' op=Exists';
    if (t.tolerationSeconds !== undefined) text += ` for ${t.tolerationSeconds}s`;
    w.write(level, i === 0 ? `${title}:\t${text}\n` : `\t${text}\n`);
  });
}

export function describePod(pod: Obj, events: Obj[] | undefined, now: Date): string {
  const w = new DescribeWriter();
  const meta = pod.metadata ?? {};
  const spec = pod.spec ?? {};
  const status = pod.status ?? {};
  w.write(0, `Name:\t${meta.name}\n`);
  w.write(0, `Namespace:\t${meta.namespace}\n`);
  w.write(0, `Priority:\t${spec.priority ?? 0}\n`);
  if (spec.priorityClassName) w.write(0, `Priority Class Name:\t${spec.priorityClassName}\n`);
  if (spec.serviceAccountName) w.write(0, `Service Account:\t${spec.serviceAccountName}\n`);
  w.write(0, `Node:\t${spec.nodeName ? `${spec.nodeName}/${status.hostIP ?? ''}` : '<none>'}\n`);
  if (status.startTime) w.write(0, `Start Time:\t${describeTime(status.startTime)}\n`);
  writeMap(w, 0, 'Labels', meta.labels);
  writeAnnotations(w, 0, meta.annotations);
  if (meta.deletionTimestamp) {
    w.write(0, `Status:\tTerminating (lasts ${age(meta.deletionTimestamp, now)})\n`);
    w.write(0, `Termination Grace Period:\t${meta.deletionGracePeriodSeconds ?? spec.terminationGracePeriodSeconds ?? 30}s\n`);
  } else {
    w.write(0, `Status:\t${status.phase ?? 'Unknown'}\n`);
  }
  if (status.reason) w.write(0, `Reason:\t${status.reason}\n`);
  if (status.message) w.write(0, `Message:\t${status.message}\n`);
  w.write(0, `IP:\t${status.podIP ?? ''}\n`);
  const ips = (status.podIPs ?? []) as Obj[];
  if (ips.length) {
    w.write(0, 'IPs:\n');
    for (const ip of ips) w.write(1, `IP:\t${ip.ip}\n`);
  } else {
    w.write(0, 'IPs:\t<none>\n');
  }
  const owner = controlledBy(pod);
  if (owner) w.write(0, `Controlled By:\t${owner}\n`);
  writeContainers(w, 0, 'Init Containers', spec.initContainers ?? [], status.initContainerStatuses);
  writeContainers(w, 0, 'Containers', spec.containers ?? [], status.containerStatuses ?? []);
  const conditions = (status.conditions ?? []) as Obj[];
  if (conditions.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of conditions) w.write(1, `${c.type} \t${c.status} \n`);
  }
  writeVolumes(w, 0, spec.volumes);
  w.write(0, `QoS Class:\t${qosClass(pod)}\n`);
  writeMap(w, 0, 'Node-Selectors', spec.nodeSelector);
  writeTolerations(w, 0, spec.tolerations);
  writeEvents(w, events, now);
  return w.toString();
}
