import { HostPort, HostPortUsage, hostPortsOf } from '../../framework/host-ports';
import { filterReasons, nodeInfo, place, pod, PodOptions } from '../../testing/fixtures';
import { conflictingPorts, newNodePorts, REASON_PORTS_TAKEN } from './node-ports';

const port = (p: number, protocol = 'TCP', hostIP = '0.0.0.0'): HostPort => ({ port: p, protocol, hostIP });

describe('conflictingPorts', () => {
  it.each<{ name: string; used: HostPort[]; wanted: HostPort[]; want: HostPort[] }>([
    { name: 'free', used: [], wanted: [port(80)], want: [] },
    { name: 'same port, protocol, all IPs', used: [port(80)], wanted: [port(80)], want: [port(80)] },
    { name: 'another protocol', used: [port(53, 'UDP')], wanted: [port(53, 'TCP')], want: [] },
    { name: 'another port', used: [port(80)], wanted: [port(8080)], want: [] },
    { name: 'two specific IPs', used: [port(80, 'TCP', '10.0.0.1')], wanted: [port(80, 'TCP', '10.0.0.2')], want: [] },
    { name: 'the same specific IP', used: [port(80, 'TCP', '10.0.0.1')], wanted: [port(80, 'TCP', '10.0.0.1')], want: [port(80, 'TCP', '10.0.0.1')] },
    { name: 'all IPs wanted, one IP used', used: [port(80, 'TCP', '10.0.0.1')], wanted: [port(80)], want: [port(80)] },
    { name: 'one IP wanted, all IPs used', used: [port(80)], wanted: [port(80, 'TCP', '10.0.0.1')], want: [port(80, 'TCP', '10.0.0.1')] },
  ])('$name', ({ used, wanted, want }) => {
    const usage = new HostPortUsage();
    usage.add(used);
    expect(conflictingPorts(wanted, usage)).toEqual(want);
  });

  it('a port is free again once every holder is gone', () => {
    const usage = new HostPortUsage();
    usage.add([port(80)]);
    usage.add([port(80)]);
    usage.add([port(80)], -1);
    expect(usage.conflicts(port(80))).toBe(true);
    usage.add([port(80)], -1);
    expect(usage.conflicts(port(80))).toBe(false);
    expect(usage.size).toBe(0);
  });
});

describe('hostPortsOf', () => {
  it.each([
    { name: 'no ports', spec: { containers: [{ name: 'c' }] }, want: undefined },
    { name: 'container ports only', spec: { containers: [{ name: 'c', ports: [{ containerPort: 80 }] }] }, want: undefined },
    { name: 'defaults', spec: { containers: [{ name: 'c', ports: [{ containerPort: 80, hostPort: 8080 }] }] }, want: [port(8080)] },
    { name: 'protocol and IP', spec: { containers: [{ name: 'c', ports: [{ containerPort: 53, hostPort: 53, protocol: 'UDP', hostIP: '127.0.0.1' }] }] }, want: [port(53, 'UDP', '127.0.0.1')] },
    { name: 'hostNetwork binds its container ports', spec: { hostNetwork: true, containers: [{ name: 'c', ports: [{ containerPort: 9100 }] }] }, want: [port(9100)] },
  ])('$name', ({ spec, want }) => expect(hostPortsOf(spec as never)).toEqual(want));
});

describe('NodePorts', () => {
  const plugin = newNodePorts();
  const withPort = (hostPort: number, o: Partial<{ protocol: 'TCP' | 'UDP'; hostIP: string }> = {}): PodOptions => ({ hostPorts: [{ hostPort, ...o }] });
  it.each<{ name: string; workload: PodOptions; want: Record<string, string | undefined> }>([
    { name: 'no host ports: nothing to check', workload: {}, want: { busy: undefined, idle: undefined } },
    { name: 'the port taken on one node', workload: withPort(8080), want: { busy: REASON_PORTS_TAKEN, idle: undefined } },
    { name: 'the same number over UDP', workload: withPort(8080, { protocol: 'UDP' }), want: { busy: undefined, idle: undefined } },
    { name: 'another port', workload: withPort(9090), want: { busy: undefined, idle: undefined } },
  ])('$name', ({ workload, want }) => {
    const nodes = [place(nodeInfo('busy'), pod('holder', { hostPorts: [{ hostPort: 8080 }] })), nodeInfo('idle')];
    expect(filterReasons(plugin, pod('p', workload), nodes)).toEqual(want);
  });

  it('a removed holder frees its port', () => {
    const holder = pod('holder', { hostPorts: [{ hostPort: 8080 }] });
    const node = place(nodeInfo('n'), holder);
    node.removeWorkload(holder);
    expect(filterReasons(plugin, pod('p', { hostPorts: [{ hostPort: 8080 }] }), [node])).toEqual({ n: undefined });
  });
});
