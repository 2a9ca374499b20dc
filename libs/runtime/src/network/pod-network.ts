// Pod networking on one node: a Linux bridge holding the pod CIDR's gateway, one named
// network namespace per pod with a veth into the bridge, host-local IPAM on disk, hostPort
// DNAT and optional egress masquerading. Everything is idempotent so the agent can re-run
// setup or teardown after a crash half-way.
import { access, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCommand } from '../proc/run-command';
import { CommandError } from '../proc/spawner';
import { parseCidr, gatewayOf } from './cidr';
import { deletionsFor, HostPortMapping, hostPortRules, podsWithRules } from './hostports';
import { FileIpam } from './ipam';
import { podNames } from './names';

export const NETNS_DIR = '/var/run/netns';

export interface PodNetworkOptions {
  /** Directory for IPAM files (one per allocated address). */
  stateDir: string;
  /** Node bridge, e.g. `cox0`. */
  bridge?: string;
  /** This node's pod CIDR, e.g. `10.88.0.0/24`; the gateway .1 sits on the bridge. */
  podCidr?: string;
  netnsPrefix?: string;
  vethPrefix?: string;
  /** nat chain for hostPort rules. */
  hostPortChain?: string;
  mtu?: number;
}

export interface PodNetworkSetup {
  netnsName: string;
  /** Give this to containers as their network namespace path. */
  netnsPath: string;
  ip: string;
  prefixLength: number;
  gateway: string;
  hostVeth: string;
}

export interface SetupPodOptions {
  hostPorts?: HostPortMapping[];
}

/** Through the runtime's spawner (coxspawn): no fork of the agent per `ip`/`iptables`. */
const run = (cmd: string, args: string[], input?: string): Promise<string> => runCommand(cmd, args, { input, timeoutMs: 30_000 });

const exists = (path: string) => access(path).then(() => true, () => false);
const missing = (err: unknown) => err instanceof CommandError && /Cannot find device|No such file|does not exist|not found/i.test(err.stderr);

export const ip = (...args: string[]) => run('ip', args);
const iptables = (...args: string[]) => run('iptables', ['-w', ...args]);

export class PodNetwork {
  readonly bridge: string;
  readonly podCidr: string;
  readonly gateway: string;
  readonly prefixLength: number;
  readonly hostPortChain: string;
  /** Shared with the VM driver so VMs on the bridge draw from the same address pool. */
  readonly allocator: FileIpam;
  private readonly netnsPrefix: string;
  private readonly vethPrefix: string;
  private bridgeReady?: Promise<void>;
  private chainReady?: Promise<void>;
  private hostPortPodsP?: Promise<Set<string>>;
  private readonly perPod = new Map<string, Promise<unknown>>();

  constructor(private readonly opts: PodNetworkOptions) {
    this.bridge = opts.bridge ?? 'cox0';
    this.podCidr = opts.podCidr ?? '10.88.0.0/24';
    const cidr = parseCidr(this.podCidr);
    this.gateway = gatewayOf(cidr);
    this.prefixLength = cidr.prefixLength;
    this.netnsPrefix = opts.netnsPrefix ?? 'cox-';
    this.vethPrefix = opts.vethPrefix ?? 'vcox';
    this.hostPortChain = opts.hostPortChain ?? 'COXSWAIN-HOSTPORTS';
    this.allocator = new FileIpam(join(opts.stateDir, 'ipam', this.bridge), this.podCidr);
  }

  private serial<T>(uid: string, fn: () => Promise<T>): Promise<T> {
    const next = (this.perPod.get(uid) ?? Promise.resolve()).then(fn, fn);
    const tail = next.catch(() => undefined);
    this.perPod.set(uid, tail);
    void tail.then(() => {
      if (this.perPod.get(uid) === tail) this.perPod.delete(uid);
    });
    return next;
  }

  /** Creates the bridge with the gateway address (once per object; safe to repeat). */
  ensureBridge(): Promise<void> {
    this.bridgeReady ??= (async () => {
      if (!(await exists(`/sys/class/net/${this.bridge}`))) {
        await ip('link', 'add', this.bridge, 'type', 'bridge').catch((err) => {
          if (!(err instanceof CommandError && /File exists/.test(err.stderr))) throw err;
        });
      }
      await ip('addr', 'replace', `${this.gateway}/${this.prefixLength}`, 'dev', this.bridge);
      if (this.opts.mtu) await ip('link', 'set', this.bridge, 'mtu', String(this.opts.mtu));
      await ip('link', 'set', this.bridge, 'up');
    })();
    this.bridgeReady.catch(() => { this.bridgeReady = undefined; });
    return this.bridgeReady;
  }

  names(uid: string) {
    return podNames(uid, this.netnsPrefix, this.vethPrefix);
  }

  setupPod(uid: string, options: SetupPodOptions = {}): Promise<PodNetworkSetup> {
    return this.serial(uid, async () => {
      await this.ensureBridge();
      const { netns, hostVeth } = this.names(uid);
      const netnsPath = `${NETNS_DIR}/${netns}`;
      // A fresh namespace means no earlier setup of this pod left hostPort rules behind
      // (teardown removes them before the namespace).
      const again = await exists(netnsPath);
      const alloc = await this.allocator.allocate(uid);
      // One `ip` process for the namespace and the host side (spawns are most of a pod start's
      // cost on a busy agent: 110 pods at once spent a minute of the agent's thread in
      // fork/exec). `netns add` in a batch returns to the host's namespace for the next line.
      await run('ip', ['-batch', '-'], [
        ...(again ? [] : [`netns add ${netns}`]),
        ...((await exists(`/sys/class/net/${hostVeth}`)) ? [] : [`link add ${hostVeth}${this.opts.mtu ? ` mtu ${this.opts.mtu}` : ''} type veth peer name eth0 netns ${netns}`]),
        `link set ${hostVeth} master ${this.bridge} up`,
        // Hairpin: a pod reaching itself through a Service ClusterIP is DNATed back out of its own port.
        `link set dev ${hostVeth} type bridge_slave hairpin on`,
      ].join('\n') + '\n');
      // One `ip` process configures the inside of the namespace.
      await run('ip', ['-n', netns, '-batch', '-'], [
        'link set lo up',
        `addr replace ${alloc.ip}/${alloc.prefixLength} dev eth0`,
        'link set eth0 up',
        `route replace default via ${alloc.gateway} dev eth0`,
      ].join('\n') + '\n');
      if (again || options.hostPorts?.length) await this.removeHostPorts(uid);
      if (options.hostPorts?.length) await this.addHostPorts(uid, alloc.ip, options.hostPorts);
      return { netnsName: netns, netnsPath, hostVeth, ...alloc };
    });
  }

  /** Removes the pod's hostPort rules, veth, namespace and address. Safe to repeat. */
  teardownPod(uid: string): Promise<void> {
    return this.serial(uid, async () => {
      const { netns, hostVeth } = this.names(uid);
      await this.removeHostPorts(uid);
      // One `ip` process for both (a pod stop spawns a handful; 110 at once queue on two cores).
      const commands = [
        ...((await exists(`/sys/class/net/${hostVeth}`)) ? [`link del ${hostVeth}`] : []),
        ...((await exists(`${NETNS_DIR}/${netns}`)) ? [`netns del ${netns}`] : []),
      ];
      if (commands.length) await run('ip', ['-batch', '-'], `${commands.join('\n')}\n`).catch((err) => { if (!missing(err)) throw err; });
      await this.allocator.release(uid);
    });
  }

  /** Pods with an address, by uid (from IPAM on disk, so it survives restarts). */
  async listPods(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const [addr, owner] of await this.allocator.list()) out.set(owner, addr);
    return out;
  }

  private ensureHostPortChain(): Promise<void> {
    this.chainReady ??= (async () => {
      const chain = this.hostPortChain;
      await iptables('-t', 'nat', '-N', chain).catch((err) => {
        if (!(err instanceof CommandError && /exists/i.test(err.stderr))) throw err;
      });
      for (const hook of ['PREROUTING', 'OUTPUT']) {
        const jump = [hook, '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', chain];
        await iptables('-t', 'nat', '-C', ...jump).catch(() => iptables('-t', 'nat', '-A', ...jump));
      }
    })();
    this.chainReady.catch(() => { this.chainReady = undefined; });
    return this.chainReady;
  }

  async addHostPorts(uid: string, podIp: string, mappings: HostPortMapping[]): Promise<void> {
    await this.ensureHostPortChain();
    // Known before the rules exist: a failure halfway still has them found and removed later.
    (await this.hostPortPods()).add(uid);
    for (const rule of hostPortRules(this.hostPortChain, uid, podIp, mappings)) await iptables('-t', 'nat', ...rule);
  }

  async removeHostPorts(uid: string): Promise<void> {
    const known = await this.hostPortPods();
    if (!known.has(uid)) return;
    const listing = await iptables('-t', 'nat', '-S', this.hostPortChain).catch(() => '');
    let removed = true;
    for (const rule of deletionsFor(listing, uid)) await iptables('-t', 'nat', ...rule).catch(() => { removed = false; });
    if (removed) known.delete(uid);
  }

  /**
   * The pods with hostPort rules: the chain is listed once, then kept here (this agent is its
   * only writer), so tearing down a pod without hostPorts runs no iptables at all. 110 pods
   * stopping at once had queued 110 `iptables -S` behind the xtables lock. A chain that
   * cannot be listed (absent) has no rules, as before.
   */
  private hostPortPods(): Promise<Set<string>> {
    this.hostPortPodsP ??= iptables('-t', 'nat', '-S', this.hostPortChain).then(podsWithRules, () => new Set<string>());
    return this.hostPortPodsP;
  }

  private masqueradeRule(): string[] {
    return ['POSTROUTING', '-s', this.podCidr, '!', '-o', this.bridge, '-m', 'comment', '--comment', `coxswain egress ${this.bridge}`, '-j', 'MASQUERADE'];
  }

  /** Lets pods reach beyond the node: IP forwarding on and source NAT for traffic leaving the bridge. */
  async enableEgress(): Promise<void> {
    await writeFile('/proc/sys/net/ipv4/ip_forward', '1');
    const rule = this.masqueradeRule();
    await iptables('-t', 'nat', '-C', ...rule).catch(() => iptables('-t', 'nat', '-A', ...rule));
  }

  async disableEgress(): Promise<void> {
    await iptables('-t', 'nat', '-D', ...this.masqueradeRule()).catch(() => undefined);
  }

  /**
   * Removes what the node network added: hostPort chain and jumps, egress rule, bridge.
   * For uninstall and tests; pods should be torn down first.
   */
  async destroy(): Promise<void> {
    const chain = this.hostPortChain;
    for (const hook of ['PREROUTING', 'OUTPUT']) {
      await iptables('-t', 'nat', '-D', hook, '-m', 'addrtype', '--dst-type', 'LOCAL', '-j', chain).catch(() => undefined);
    }
    await iptables('-t', 'nat', '-F', chain).catch(() => undefined);
    await iptables('-t', 'nat', '-X', chain).catch(() => undefined);
    await this.disableEgress();
    await ip('link', 'del', this.bridge).catch(() => undefined);
    this.bridgeReady = undefined;
    this.chainReady = undefined;
  }
}

/** A tap device attached to `bridge`, for a VM's NIC (QEMU opens it with `-netdev tap,ifname=`). */
export async function createTap(name: string, bridge: string, opts: { mtu?: number; multiQueue?: boolean } = {}): Promise<void> {
  if (name.length > 15) throw new Error(`tap name ${name} longer than 15 bytes`);
  if (!(await exists(`/sys/class/net/${name}`))) {
    await ip('tuntap', 'add', 'dev', name, 'mode', 'tap', ...(opts.multiQueue ? ['multi_queue'] : []));
  }
  if (opts.mtu) await ip('link', 'set', name, 'mtu', String(opts.mtu));
  await ip('link', 'set', name, 'master', bridge, 'up');
}

export async function deleteTap(name: string): Promise<void> {
  await ip('link', 'del', name).catch((err) => { if (!missing(err)) throw err; });
}
