// Writes a pod's resolv.conf and hosts into its sandbox directory and bind-mounts them over
// /etc/resolv.conf and /etc/hosts in each of its containers (what the kubelet does).
import { access, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { hostNetworkHostsFile, NodeDnsSettings, PodDnsInput, podHostsFile, podResolvConfText } from './dns-files';

export interface PodDnsOptions {
  clusterDNS: string[];
  clusterDomain: string;
  /** The node's resolv.conf, read at each sandbox creation (kubelet --resolv-conf). */
  resolvConfPath: string;
  /** The node's hosts file, a hostNetwork pod's /etc/hosts (default /etc/hosts). */
  hostsPath?: string;
}

const FILES = { resolv: 'resolv.conf', hosts: 'hosts' } as const;

async function writeAtomic(path: string, text: string): Promise<void> {
  await writeFile(`${path}.tmp`, text);
  await rename(`${path}.tmp`, path);
}

export async function writePodDnsFiles(sandboxDir: string, pod: PodDnsInput, podIP: string, opts: PodDnsOptions): Promise<void> {
  const settings: NodeDnsSettings = { clusterDNS: opts.clusterDNS, clusterDomain: opts.clusterDomain, hostResolvConf: await readFile(opts.resolvConfPath, 'utf8').catch(() => '') };
  await writeAtomic(join(sandboxDir, FILES.resolv), podResolvConfText(pod, settings));
  const hosts = pod.spec?.hostNetwork ? hostNetworkHostsFile(pod, await readFile(opts.hostsPath ?? '/etc/hosts', 'utf8').catch(() => '')) : podHostsFile(pod, podIP, opts.clusterDomain);
  await writeAtomic(join(sandboxDir, FILES.hosts), hosts);
}

/** Mounts for the files that exist (sandboxes made before this feature have none). */
export async function podDnsMounts(sandboxDir: string): Promise<Array<{ source: string; destination: string; readonly?: boolean }>> {
  const out = [];
  for (const [file, destination] of [[FILES.resolv, '/etc/resolv.conf'], [FILES.hosts, '/etc/hosts']] as const) {
    const source = join(sandboxDir, file);
    if (await access(source).then(() => true, () => false)) out.push({ source, destination });
  }
  return out;
}
