// What `port-forward` connects to, resolved as kubectl does: `[LOCAL:]REMOTE` pairs, and for
// `svc/NAME` a Service port (number or name) translated to the chosen pod's target port
// (kubectl's translateServicePortToTargetPort with LookupContainerPortNumberByServicePort).
// Pure, against the v1 Service JSON shape.
import { CliError } from '../errors';
import { Obj } from '../types';

export interface PortPair {
  /** 0: pick a free local port. */
  local: number;
  remote: number;
}

function portNumber(text: string, what: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 0 || n > 65535) throw new CliError(`Error parsing ${what} port '${text}': invalid port`);
  return n;
}

/** `8080`, `:8080` (any local port), `9000:8080`; REMOTE may be a port name only for services. */
export function splitPort(spec: string): { local: string; remote: string } {
  const parts = spec.split(':');
  if (parts.length === 1) return { local: spec, remote: spec };
  if (parts.length !== 2) throw new CliError(`invalid port format '${spec}'`);
  return { local: parts[0], remote: parts[1] };
}

export function parsePortPairs(specs: string[]): PortPair[] {
  if (!specs.length) throw new CliError('at least 1 PORT is required for port-forward');
  return specs.map((spec) => {
    const { local, remote } = splitPort(spec);
    const remoteNumber = portNumber(remote, 'remote');
    if (remoteNumber === 0) throw new CliError(`remote port must be > 0`);
    return { local: local === '' ? 0 : portNumber(local, 'local'), remote: remoteNumber };
  });
}

/** A pod's container port by name (kubectl's LookupContainerPortNumberByName). */
export function containerPortByName(pod: Obj, name: string): number {
  for (const container of (pod.spec?.containers ?? []) as Obj[]) {
    const port = ((container.ports ?? []) as Obj[]).find((p) => p.name === name);
    if (port) return port.containerPort;
  }
  throw new CliError(`Pod '${pod.metadata?.name}' does not have a named port '${name}'`);
}

/** Service ports (`80`, `http`, `8000:http`) → pod ports for the pod chosen behind the Service. */
export function servicePortsToPodPorts(service: Obj, pod: Obj, specs: string[]): string[] {
  const svcName = service.metadata?.name;
  const ports = (service.spec?.ports ?? []) as Obj[];
  return specs.map((spec) => {
    const { remote } = splitPort(spec);
    let { local } = splitPort(spec);
    let number = Number(remote);
    if (!/^\d+$/.test(remote)) {
      const named = ports.find((p) => p.name === remote);
      if (!named) throw new CliError(`Service '${svcName}' does not have a named port '${remote}'`);
      number = named.port;
      if (local === remote) local = String(number);
    }
    const svcPort = ports.find((p) => p.port === number);
    if (!svcPort) throw new CliError(`Service ${svcName} does not have a service port ${number}`);
    let target: number;
    if (service.spec?.clusterIP === 'None') target = number;
    else if (typeof svcPort.targetPort === 'string') target = containerPortByName(pod, svcPort.targetPort);
    else target = svcPort.targetPort || svcPort.port;
    return local === remote ? (local === String(target) ? String(target) : `${local}:${target}`) : `${local}:${target}`;
  });
}
