import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

const exec = promisify(execFile);

async function ip(...args: string[]): Promise<string> {
  const { stdout } = await exec('ip', args);
  return stdout;
}

/** Runs `ip` inside a named network namespace. */
export async function ipIn(netns: string, ...args: string[]): Promise<string> {
  return ip('netns', 'exec', netns, 'ip', ...args);
}

export interface HostSpec {
  name: string;
  netns: string;
  address: string;
  /** The host side of the veth, on the harness bridge. */
  hostVeth: string;
}

export interface HarnessNetwork {
  bridge: string;
  /** The bridge's address: where processes in the namespaces reach the control plane. */
  gateway: string;
  prefixLength: number;
  hosts: HostSpec[];
  /** Creates a namespace with its own address on the bridge, like a separate machine. */
  addHost(name: string): Promise<HostSpec>;
  /** Takes a host off the network (its veth goes down) or puts it back. */
  cutOff(host: HostSpec): Promise<void>;
  restore(host: HostSpec): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * A private L2 network for one test run: a bridge on the host and one network namespace per
 * simulated machine. Names carry a random tag so concurrent runs never collide; `subnet` is the
 * first three octets of a /24 the caller owns (e.g. "10.213.7").
 */
export async function createHarnessNetwork(subnet: string): Promise<HarnessNetwork> {
  const tag = randomBytes(3).toString('hex');
  const bridge = `coxbr${tag}`;
  const gateway = `${subnet}.1`;
  const hosts: HostSpec[] = [];
  await ip('link', 'add', bridge, 'type', 'bridge');
  await ip('addr', 'add', `${gateway}/24`, 'dev', bridge);
  await ip('link', 'set', bridge, 'up');

  const network: HarnessNetwork = {
    bridge, gateway, prefixLength: 24, hosts,
    async addHost(name) {
      const index = hosts.length + 2;
      const host: HostSpec = { name, netns: `cox-${tag}-${index}`, address: `${subnet}.${index}`, hostVeth: `coxv${tag}${index}` };
      const inner = `coxi${tag}${index}`;
      await ip('netns', 'add', host.netns);
      hosts.push(host);
      await ip('link', 'add', host.hostVeth, 'type', 'veth', 'peer', 'name', inner);
      await ip('link', 'set', inner, 'netns', host.netns);
      await ip('link', 'set', host.hostVeth, 'master', bridge, 'up');
      await ipIn(host.netns, 'link', 'set', 'lo', 'up');
      await ipIn(host.netns, 'link', 'set', inner, 'name', 'eth0');
      await ipIn(host.netns, 'addr', 'add', `${host.address}/24`, 'dev', 'eth0');
      await ipIn(host.netns, 'link', 'set', 'eth0', 'up');
      await ipIn(host.netns, 'route', 'add', 'default', 'via', gateway);
      return host;
    },
    async cutOff(host) {
      await ip('link', 'set', host.hostVeth, 'down');
    },
    async restore(host) {
      await ip('link', 'set', host.hostVeth, 'up');
    },
    async destroy() {
      for (const host of hosts) {
        await ip('link', 'del', host.hostVeth).catch(() => undefined);
        await ip('netns', 'del', host.netns).catch(() => undefined);
      }
      await ip('link', 'del', bridge).catch(() => undefined);
    },
  };
  return network;
}
