// The kernel edge of the service proxy: read the current tables with iptables-save, write a
// plan with one `iptables-restore --noflush` (atomic per table; chains of others untouched).
// `prefix` runs the tools elsewhere, e.g. ['ip', 'netns', 'exec', 'test-ns'] in tests.
// The tools run through the runtime's spawner (coxspawn: a spawn from Node stalls the agent's
// event loop until the child has exec'ed).
import { writeFile } from 'node:fs/promises';
import { runCommand } from '@coxswain/runtime';

export interface IptablesRunner {
  save(): Promise<string>;
  restore(input: string): Promise<void>;
  /** Releases what the runner holds (idempotent). */
  close?(): Promise<void>;
}

export function execIptables(prefix: string[] = []): IptablesRunner {
  const run = (argv: string[], input?: string) => {
    const [file, ...args] = [...prefix, ...argv];
    return runCommand(file, args, { input, timeoutMs: 60_000 });
  };
  return {
    // Only the two tables we write: listing others (mangle, raw) costs time for nothing.
    save: async () => (await run(['iptables-save', '-t', 'filter'])) + (await run(['iptables-save', '-t', 'nat'])),
    restore: async (input) => {
      await run(['iptables-restore', '-w', '5', '--noflush'], input);
    },
    // Nothing of its own: the spawner is the process's and never keeps it alive when idle.
    close: async () => undefined,
  };
}

/**
 * Replies from a pod on the same bridge must pass the node's conntrack to be un-DNATed
 * (kube-proxy needs the same). Per network namespace since Linux 5.3; best effort.
 */
export async function enableBridgeNetfilter(): Promise<boolean> {
  return writeFile('/proc/sys/net/bridge/bridge-nf-call-iptables', '1').then(() => true, () => false);
}

/**
 * Lets DNATed packets from 127.0.0.1 leave the loopback device, so NodePorts answer on
 * localhost (kube-proxy's --iptables-localhost-nodeports). Per network namespace.
 */
export async function enableRouteLocalnet(): Promise<boolean> {
  return writeFile('/proc/sys/net/ipv4/conf/all/route_localnet', '1').then(() => true, () => false);
}
