// The kernel edge of the service proxy: read the current tables with iptables-save, write a
// plan with one `iptables-restore --noflush` (atomic per table; chains of others untouched).
// `prefix` runs the tools elsewhere, e.g. ['ip', 'netns', 'exec', 'test-ns'] in tests.
// The tools run through one long-lived shell (./shell: a spawn from Node stalls the agent's
// event loop until the child has exec'ed).
import { writeFile } from 'node:fs/promises';
import { CommandShell } from './shell';

export interface IptablesRunner {
  save(): Promise<string>;
  restore(input: string): Promise<void>;
  /** Ends the runner's shell (idempotent; an idle shell never keeps the process alive). */
  close?(): Promise<void>;
}

export function execIptables(prefix: string[] = []): IptablesRunner {
  const shell = new CommandShell();
  const run = (argv: string[], input?: string) => shell.run([...prefix, ...argv], { input });
  return {
    // Only the two tables we write: listing others (mangle, raw) costs time for nothing.
    save: async () => (await run(['iptables-save', '-t', 'filter'])) + (await run(['iptables-save', '-t', 'nat'])),
    restore: async (input) => {
      await run(['iptables-restore', '-w', '5', '--noflush'], input);
    },
    close: () => shell.close(),
  };
}

/**
 * Replies from a pod on the same bridge must pass the node's conntrack to be un-DNATed
 * (kube-proxy needs the same). Per network namespace since Linux 5.3; best effort.
 */
export async function enableBridgeNetfilter(): Promise<boolean> {
  return writeFile('/proc/sys/net/bridge/bridge-nf-call-iptables', '1').then(() => true, () => false);
}
