// VmRuntime over libs/runtime's QEMU driver: kernel/initrd or disk from a containerDisk image,
// a tap on the node bridge with an address from the pod IPAM, cloud-init NoCloud user-data and
// network-config, configMap/secret volumes as ISO disks.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { ConfigReferences, memoryBytes, podQosClass, Secret, VirtualMachineInstance, vmiConfigReferences } from '@coxswain/api/browser';
import { createTap, deleteTap, DhcpLease, ImageStore, IpAllocator, podCgroupName, QosClass, VmDisk, VmDriver, VmSpec } from '@coxswain/runtime';
import { ObservedVm, VmiView } from '../sync/vmi-plan';
import { VmRuntime } from '../runtime-port';
import { ConfigObjects } from '../env/resolve-env';
import { NodeDnsSettings } from './dns-files';
import { cloudInitNetworkData, generatedNetworkConfig, vmiConfigDisks, vmiDhcpLease } from './vm-guest-config';
import { containerDiskFormat } from './container-disk';

export interface QemuVmRuntimeOptions {
  images: ImageStore;
  vms: VmDriver;
  ipam: IpAllocator;
  bridge: string;
  vmiFor(uid: string): VirtualMachineInstance | undefined;
  /** The node's cgroup parent: VMs join the pods' QoS hierarchy under it (else the driver's own parent). */
  qosCgroupParent?: string;
  /** Reads the Secrets and ConfigMaps a VMI references (cloud-init secretRefs, config disks); null when missing. */
  configObjects?(namespace: string, refs: ConfigReferences): Promise<ConfigObjects>;
  /** The cluster resolver (kubelet --cluster-dns/--cluster-domain/--resolv-conf), written into the guest's network-config. */
  dns?: { clusterDNS: string[]; clusterDomain: string; resolvConfPath: string };
  /** A `persistentVolumeClaim` volume's disk (vm-claim-disk.ts); without it such VMIs fail to start with the reason. */
  claimDisk?(namespace: string, volumeName: string, claimName: string): Promise<VmDisk>;
  /** The node's DHCP responder: a VM's lease is served from start to removal (a guest without cloud-init network data asks for it). */
  dhcp?: { add(lease: DhcpLease): void; remove(mac: string): void };
}

/**
 * The QoS class of the VMI's launcher, KubeVirt's way: the guest memory is always requested,
 * so a VMI is Burstable unless its limits match requests for both CPU and memory.
 */
export function vmiQosClass(vmi: VirtualMachineInstance): QosClass {
  const resources = vmi.spec.domain.resources ?? {};
  const requests = { memory: String(vmResources(vmi).memoryBytes), ...resources.requests };
  return podQosClass({ containers: [{ resources: { requests, limits: resources.limits } }] });
}

/**
 * NoCloud user-data as KubeVirt takes it: inline `userData`, `userDataBase64`, or the
 * `userdata` (or `userData`) key of the Secret named by `secretRef`.
 */
export function cloudInitUserData(source: { userData?: string; userDataBase64?: string; secretRef?: unknown }, secret?: Secret | null): string | undefined {
  if (source.userData !== undefined) return source.userData;
  if (source.userDataBase64 !== undefined) return Buffer.from(source.userDataBase64, 'base64').toString();
  const ref = source.secretRef as { name?: string } | undefined;
  if (!ref?.name) return undefined;
  if (!secret) throw new Error(`secret "${ref.name}" not found`);
  const value = secret.data?.userdata ?? secret.data?.userData;
  if (value === undefined) throw new Error(`no userdata source found in secret "${ref.name}" (keys userdata or userData)`);
  return Buffer.from(value, 'base64').toString();
}

/** The Secret a `{name}` reference names, null when it is missing, undefined when there is no reference. */
function secretOf(objects: ConfigObjects, ref: unknown): Secret | null | undefined {
  const name = (ref as { name?: string } | undefined)?.name;
  return name ? (objects.secrets.get(name) ?? null) : undefined;
}

/** Stable short tap name (≤ 15 chars) and a locally administered MAC from the uid. */
export function tapName(uid: string): string {
  return `coxt${uid.replace(/-/g, '').slice(0, 10)}`;
}
export function macFor(uid: string): string {
  const h = createHash('sha256').update(uid).digest();
  return ['52', '54', ...Array.from(h.subarray(0, 4), (b) => b.toString(16).padStart(2, '0'))].join(':');
}

/** vCPUs and guest memory from a VMI, KubeVirt's way. */
export function vmResources(vmi: VirtualMachineInstance): { cpus: number; memoryBytes: number } {
  const domain = vmi.spec.domain;
  const cpu = domain.cpu ?? {};
  const cpus = Math.max(1, (cpu.cores ?? 1) * (cpu.sockets ?? 1) * (cpu.threads ?? 1));
  const memory = domain.memory?.guest ?? domain.resources?.requests?.memory ?? '128Mi';
  return { cpus, memoryBytes: memoryBytes(memory) };
}

/**
 * The leases the DHCP responder lacks for VMs that are running: a restarted agent finds its
 * VMs still running (QEMU outlives it) but its in-memory leases gone, so a guest renewing its
 * address would get no answer and lose it.
 */
export function leasesToRestore(vms: Array<{ uid: string; exited: boolean; network?: VmSpec['network'] }>, registered: ReadonlySet<string>): Array<{ uid: string; network: NonNullable<VmSpec['network']> }> {
  return vms.flatMap((vm) => (!vm.exited && vm.network && !registered.has(vm.network.mac.toLowerCase()) ? [{ uid: vm.uid, network: vm.network }] : []));
}

export class QemuVmRuntime implements VmRuntime {
  /** MACs whose lease this process registered with the DHCP responder. */
  private readonly leased = new Set<string>();

  constructor(private readonly opts: QemuVmRuntimeOptions) {}

  private addLease(lease: DhcpLease): void {
    this.opts.dhcp?.add(lease);
    this.leased.add(lease.mac.toLowerCase());
  }

  private removeLease(mac: string): void {
    this.opts.dhcp?.remove(mac);
    this.leased.delete(mac.toLowerCase());
  }

  onGuestInit(listener: () => void): void {
    this.opts.vms.onGuestInit(() => listener());
  }

  async listVms(): Promise<ObservedVm[]> {
    const out: ObservedVm[] = [];
    const seen: Array<{ uid: string; exited: boolean; network?: VmSpec['network'] }> = [];
    for (const state of await this.opts.vms.list()) {
      const info = await this.opts.vms.guestInfo(state.uid).catch(() => ({ ip: undefined, initStarted: false }));
      const spec = await this.opts.vms.spec(state.uid).catch(() => undefined);
      seen.push({ uid: state.uid, exited: state.status === 'exited', network: spec?.network });
      out.push({
        uid: state.uid,
        namespace: state.namespace,
        name: state.name,
        state: state.status === 'exited' ? 'exited' : info.initStarted || !spec?.kernelPath ? 'running' : 'starting',
        exitReason: state.status === 'exited' ? (state.graceful ? 'shutdown' : 'crash') : undefined,
        ip: info.ip ?? spec?.network?.ip,
      });
    }
    if (this.opts.dhcp) {
      for (const { uid, network } of leasesToRestore(seen, this.leased)) {
        const vmi = this.opts.vmiFor(uid);
        if (vmi) this.addLease(vmiDhcpLease(vmi, network, await this.dnsSettings()));
      }
    }
    return out;
  }

  private async file(image: string, path: string): Promise<string> {
    const found = await this.opts.images.imageFilePath(image, path);
    if (!found) throw new Error(`image ${image} has no ${path}`);
    return found;
  }

  async startVm(view: VmiView): Promise<void> {
    const vmi = this.opts.vmiFor(view.metadata.uid);
    if (!vmi) throw new Error(`no spec for VMI ${view.metadata.uid}`);
    const uid = vmi.metadata.uid!;
    const domain = vmi.spec.domain;
    const spec: VmSpec = { uid, name: vmi.metadata.name!, namespace: vmi.metadata.namespace!, ...vmResources(vmi) };
    if (this.opts.qosCgroupParent) spec.cgroupPath = `${this.opts.qosCgroupParent}/${podCgroupName(vmiQosClass(vmi), uid)}`;
    const kernelBoot = domain.firmware?.kernelBoot;
    if (kernelBoot?.container) {
      const image = kernelBoot.container.image;
      await this.opts.images.pull(image);
      spec.kernelPath = await this.file(image, kernelBoot.container.kernelPath ?? '/boot/vmlinuz');
      if (kernelBoot.container.initrdPath !== undefined || (await this.opts.images.imageFilePath(image, '/boot/initrd.img'))) {
        spec.initrdPath = await this.file(image, kernelBoot.container.initrdPath ?? '/boot/initrd.img');
      }
    }
    const disks = [];
    for (const disk of domain.devices?.disks ?? []) {
      const volume = vmi.spec.volumes?.find((v) => v.name === disk.name);
      // A dataVolume's claim has the DataVolume's name; its disk waits for the import (main.ts).
      const claimName = (volume?.persistentVolumeClaim as { claimName?: string } | undefined)?.claimName ?? (volume?.dataVolume as { name?: string } | undefined)?.name;
      if (claimName) {
        if (!this.opts.claimDisk) throw new Error(`volume ${disk.name}: this node does not attach PersistentVolumeClaims to VMs`);
        disks.push(await this.opts.claimDisk(vmi.metadata.namespace ?? 'default', disk.name, claimName));
        continue;
      }
      if (!volume?.containerDisk) continue;
      await this.opts.images.pull(volume.containerDisk.image);
      const candidates = volume.containerDisk.path ? [volume.containerDisk.path] : ['/disk/disk.qcow2', '/disk/disk.img', '/disk/disk.raw'];
      let path: string | undefined;
      for (const candidate of candidates) path ??= await this.opts.images.imageFilePath(volume.containerDisk.image, candidate);
      if (!path) throw new Error(`containerDisk ${volume.containerDisk.image} has no disk image under /disk`);
      disks.push({ path, format: await containerDiskFormat(path) });
    }
    if (disks.length) spec.disks = disks;
    const objects = await this.configObjectsFor(vmi);
    const cloudInit = vmi.spec.volumes?.find((v) => v.cloudInitNoCloud)?.cloudInitNoCloud;
    if (cloudInit) spec.cloudInitUserData = cloudInitUserData(cloudInit, secretOf(objects, cloudInit.secretRef)) ?? '';
    const configDisks = vmiConfigDisks(vmi, objects);
    if (configDisks.length) spec.configDisks = configDisks;
    const alloc = await this.opts.ipam.allocate(uid);
    spec.network = { tap: tapName(uid), bridge: this.opts.bridge, mac: macFor(uid), ip: alloc.ip, prefixLength: alloc.prefixLength, gateway: alloc.gateway };
    if (cloudInit) {
      // The user's network data replaces the generated one, as in KubeVirt.
      spec.cloudInitNetworkConfig = cloudInitNetworkData(cloudInit, secretOf(objects, cloudInit.networkDataSecretRef))
        ?? generatedNetworkConfig(vmi, spec.network, await this.dnsSettings());
    }
    // The driver adds console, hostname and the guest's address to the user's kernel args.
    spec.cmdline = kernelBoot?.kernelArgs || undefined;
    this.addLease(vmiDhcpLease(vmi, spec.network, await this.dnsSettings()));
    try {
      await createTap(spec.network.tap, this.opts.bridge);
      await this.opts.vms.start(spec);
    } catch (error) {
      await this.opts.ipam.release(uid).catch(() => undefined);
      this.removeLease(spec.network.mac);
      throw error;
    }
  }

  private async configObjectsFor(vmi: VirtualMachineInstance): Promise<ConfigObjects> {
    const refs = vmiConfigReferences(vmi.spec);
    if (!this.opts.configObjects || (!refs.secrets.size && !refs.configMaps.size)) return { secrets: new Map(), configMaps: new Map() };
    return this.opts.configObjects(vmi.metadata.namespace ?? 'default', refs);
  }

  private async dnsSettings(): Promise<NodeDnsSettings> {
    const dns = this.opts.dns;
    if (!dns) return { clusterDNS: [], clusterDomain: 'cluster.local', hostResolvConf: '' };
    return { clusterDNS: dns.clusterDNS, clusterDomain: dns.clusterDomain, hostResolvConf: await readFile(dns.resolvConfPath, 'utf8').catch(() => '') };
  }

  async stopVm(uid: string, gracePeriodSeconds: number): Promise<void> {
    await this.opts.vms.stop(uid, gracePeriodSeconds * 1000);
  }

  async removeVm(uid: string): Promise<void> {
    await this.opts.vms.remove(uid);
    await deleteTap(tapName(uid)).catch(() => undefined);
    this.removeLease(macFor(uid));
    await this.opts.ipam.release(uid);
  }
}
