// The kernel edge of the service proxy: read the current tables with iptables-save, write a
// plan with one `iptables-restore --noflush` (atomic per table; chains of others untouched).
// `prefix` runs the tools elsewhere, e.g. ['ip', 'netns', 'exec', 'test-ns'] in tests.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';

export interface IptablesRunner {
  save(): Promise<string>;
  restore(input: string): Promise<void>;
}

function run(argv: string[], input?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(argv[0], argv.slice(1), { timeout: 60_000, maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${argv.join(' ')}: ${String(stderr || error.message).trim()}`));
      else resolve(stdout);
    });
    // A tool that exits before reading its stdin must not crash us with EPIPE.
    child.stdin?.on('error', () => undefined);
    child.stdin?.end(input ?? '');
  });
}

export function execIptables(prefix: string[] = []): IptablesRunner {
  return {
    // Only the two tables we write: listing others (mangle, raw) costs time for nothing.
    save: async () => (await run([...prefix, 'iptables-save', '-t', 'filter'])) + (await run([...prefix, 'iptables-save', '-t', 'nat'])),
    restore: async (input) => {
      await run([...prefix, 'iptables-restore', '-w', '5', '--noflush'], input);
    },
  };
}

/**
 * Replies from a pod on the same bridge must pass the node's conntrack to be un-DNATed
 * (kube-proxy needs the same). Per network namespace since Linux 5.3; best effort.
 */
export async function enableBridgeNetfilter(): Promise<boolean> {
  return writeFile('/proc/sys/net/bridge/bridge-nf-call-iptables', '1').then(() => true, () => false);
}
