// The `coxctl port-forward` commands for a Pod or a Service. A browser cannot listen on the
// user's local ports, so the dashboard offers the exact command to run instead of a tunnel.
// Pure.
import { nameOf, namespaceOf, Obj } from './objects';

export interface ForwardCommand {
  /** What is forwarded, e.g. `http 8080/TCP`. */
  label: string;
  command: string;
}

/** The same local port, except below 1024 (root only): `:PORT` lets the CLI pick a free one and print it. */
const portPair = (port: number) => (port < 1024 ? `:${port}` : `${port}:${port}`);

export function portForwardCommands(plural: string, obj: Obj): ForwardCommand[] {
  const ns = namespaceOf(obj);
  // Always explicit: the user's kubeconfig may default to another namespace.
  const nsFlag = ` -n ${ns ?? 'default'}`;
  const name = nameOf(obj);
  if (plural === 'pods') {
    if (obj.status?.phase !== 'Running') return [];
    const ports: Obj[] = (obj.spec?.containers ?? []).flatMap((c: Obj) => c.ports ?? []);
    return ports.filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => ({
      label: `${p.name ? `${p.name} ` : ''}${p.containerPort}/TCP`,
      command: `coxctl port-forward${nsFlag} pod/${name} ${portPair(p.containerPort)}`,
    }));
  }
  if (plural === 'services') {
    // A Service forwards to one of its pods (kubectl's rule): nothing to forward without a selector.
    if (obj.spec?.type === 'ExternalName' || !Object.keys(obj.spec?.selector ?? {}).length) return [];
    const ports: Obj[] = obj.spec?.ports ?? [];
    return ports.filter((p) => (p.protocol ?? 'TCP') === 'TCP').map((p) => ({
      label: `${p.name ? `${p.name} ` : ''}${p.port}/TCP`,
      command: `coxctl port-forward${nsFlag} svc/${name} ${portPair(p.port)}`,
    }));
  }
  return [];
}
