// What a VMI's guest is handed besides its disks, KubeVirt's way: the NoCloud network-config
// (user-supplied, or generated with the guest's address and the cluster resolver) and
// configMap/secret volumes as read-only ISO disks. Pure.
import { compareStrings, Pod, Secret, VirtualMachineInstance } from '@coxswain/api/browser';
import { DhcpLease, VmConfigDisk, VmNetwork } from '@coxswain/runtime';
import { ConfigObjects } from '../env/resolve-env';
import { volumePayload } from '../volumes/payload';
import { NodeDnsSettings, podResolvConf } from './dns-files';

type NoCloudSource = { networkData?: string; networkDataBase64?: string; networkDataSecretRef?: unknown };

/**
 * User-supplied NoCloud network data as KubeVirt takes it: inline `networkData`,
 * `networkDataBase64`, or the `networkdata` (or `networkData`) key of `networkDataSecretRef`.
 */
export function cloudInitNetworkData(source: NoCloudSource, secret?: Secret | null): string | undefined {
  if (source.networkData !== undefined) return source.networkData;
  if (source.networkDataBase64 !== undefined) return Buffer.from(source.networkDataBase64, 'base64').toString();
  const ref = source.networkDataSecretRef as { name?: string } | undefined;
  if (!ref?.name) return undefined;
  if (!secret) throw new Error(`secret "${ref.name}" not found`);
  const value = secret.data?.networkdata ?? secret.data?.networkData;
  if (value === undefined) throw new Error(`no networkdata source found in secret "${ref.name}" (keys networkdata or networkData)`);
  return Buffer.from(value, 'base64').toString();
}

const flow = (items: string[]) => `[${items.map((i) => JSON.stringify(i)).join(', ')}]`;

/**
 * cloud-init network config v2 for the guest's one interface: its static address and default
 * route (the node's IPAM hands out addresses; there is no DHCP) and the resolver a pod of the
 * namespace gets with dnsPolicy ClusterFirst (the cluster DNS, `<ns>.svc.<domain>`
 * `svc.<domain>` `<domain>`, then the node's own search paths), as KubeVirt passes the
 * launcher pod's resolv.conf to the guest.
 */
/** The lease the node's DHCP responder gives a VMI: its IPAM address, gateway and the pod resolver (same as the generated network-config). */
export function vmiDhcpLease(vmi: Pick<VirtualMachineInstance, 'metadata' | 'spec'>, net: Pick<VmNetwork, 'mac' | 'ip' | 'prefixLength' | 'gateway'>, dns: NodeDnsSettings): DhcpLease {
  const resolv = podResolvConf({ metadata: vmi.metadata, spec: {} }, dns);
  return { mac: net.mac, ip: net.ip, prefixLength: net.prefixLength, gateway: net.gateway, dns: resolv.nameservers, search: resolv.searches, hostname: vmi.spec?.hostname ?? vmi.metadata.name, leaseSeconds: 86_400 };
}

export function generatedNetworkConfig(vmi: Pick<VirtualMachineInstance, 'metadata'>, net: Pick<VmNetwork, 'mac' | 'ip' | 'prefixLength' | 'gateway'>, dns: NodeDnsSettings): string {
  const resolv = podResolvConf({ metadata: vmi.metadata, spec: {} }, dns);
  const lines = [
    'version: 2',
    'ethernets:',
    '  eth0:',
    '    match:',
    `      macaddress: "${net.mac}"`,
    '    set-name: eth0',
    `    addresses: ${flow([`${net.ip}/${net.prefixLength}`])}`,
  ];
  if (net.gateway) lines.push('    routes:', `      - to: 0.0.0.0/0`, `        via: ${net.gateway}`);
  if (resolv.nameservers.length || resolv.searches.length) {
    lines.push('    nameservers:');
    if (resolv.nameservers.length) lines.push(`      addresses: ${flow(resolv.nameservers)}`);
    if (resolv.searches.length) lines.push(`      search: ${flow(resolv.searches)}`);
  }
  return `${lines.join('\n')}\n`;
}

/** KubeVirt's default ISO volume label for configMap/secret/serviceAccount disks. */
export const CONFIG_DISK_LABEL = 'cfgdata';

/**
 * configMap and secret volumes that a disk of the VMI names become ISO disks with every key
 * as a file (KubeVirt's shape: `configMap.name`, `secret.secretName`, `optional`,
 * `volumeLabel`; the disk's `serial` identifies it in the guest). A missing object or key
 * that is not optional throws, with the kubelet's wording; an optional one gives an empty disk.
 */
export function vmiConfigDisks(vmi: VirtualMachineInstance, objects: ConfigObjects): VmConfigDisk[] {
  const out: VmConfigDisk[] = [];
  const asPod = { metadata: vmi.metadata, spec: { containers: [] } } as unknown as Pod;
  for (const disk of vmi.spec.domain.devices?.disks ?? []) {
    const volume = vmi.spec.volumes?.find((v) => v.name === disk.name);
    const source = volume?.configMap ?? volume?.secret;
    if (!volume || !source) continue;
    const payload = volumePayload(volume.configMap ? { name: volume.name, configMap: volume.configMap } : { name: volume.name, secret: volume.secret }, {
      pod: asPod, objects, podIP: '', hostIP: '', nodeAllocatable: {},
    });
    out.push({
      name: volume.name,
      label: source.volumeLabel || CONFIG_DISK_LABEL,
      ...(disk.serial ? { serial: disk.serial } : {}),
      files: [...payload].sort(([a], [b]) => compareStrings(a, b)).map(([path, file]) => ({ path, base64: file.data.toString('base64') })),
    });
  }
  return out;
}
