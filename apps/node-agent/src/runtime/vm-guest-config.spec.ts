import { VirtualMachineInstance } from '@coxswain/api';
import { cloudInitNetworkData, generatedNetworkConfig, vmiConfigDisks } from './vm-guest-config';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const secret = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) });
const net = { mac: '52:54:aa:bb:cc:dd', ip: '10.244.1.7', prefixLength: 24, gateway: '10.244.1.1' };
const dns = { clusterDNS: ['10.96.0.10'], clusterDomain: 'cluster.local', hostResolvConf: 'nameserver 1.1.1.1\nsearch corp.example\n' };

describe('cloudInitNetworkData (KubeVirt NoCloud network sources)', () => {
  it.each<[string, object, object | null | undefined, string | undefined]>([
    ['inline networkData', { networkData: 'version: 1\n' }, undefined, 'version: 1\n'],
    ['networkDataBase64', { networkDataBase64: b64('version: 2\n') }, undefined, 'version: 2\n'],
    ['networkDataSecretRef with networkdata', { networkDataSecretRef: { name: 'nd' } }, secret('nd', { networkdata: 'version: 2\nethernets: {}\n' }), 'version: 2\nethernets: {}\n'],
    ['networkDataSecretRef with networkData', { networkDataSecretRef: { name: 'nd' } }, secret('nd', { networkData: 'v' }), 'v'],
    ['nothing: the node generates it', { userData: '#!/bin/sh\n' }, undefined, undefined],
  ])('%s', (_name, source, s, want) => expect(cloudInitNetworkData(source, s as never)).toBe(want));

  it('fails (the VMI does not start) when the secret or its key is missing', () => {
    expect(() => cloudInitNetworkData({ networkDataSecretRef: { name: 'nd' } }, null)).toThrow('secret "nd" not found');
    expect(() => cloudInitNetworkData({ networkDataSecretRef: { name: 'nd' } }, secret('nd', { userdata: 'x' }) as never)).toThrow(/no networkdata source found in secret "nd"/);
  });
});

describe('generatedNetworkConfig', () => {
  const vmi = { metadata: { name: 'db', namespace: 'shop' } };

  it('v2: the static address, default route and the ClusterFirst resolver of the namespace', () => {
    expect(generatedNetworkConfig(vmi, net, dns)).toBe(`version: 2
ethernets:
  eth0:
    match:
      macaddress: "52:54:aa:bb:cc:dd"
    set-name: eth0
    addresses: ["10.244.1.7/24"]
    routes:
      - to: 0.0.0.0/0
        via: 10.244.1.1
    nameservers:
      addresses: ["10.96.0.10"]
      search: ["shop.svc.cluster.local", "svc.cluster.local", "cluster.local", "corp.example"]
`);
  });

  it('reads the cluster DNS and domain it is given (not a fixed address)', () => {
    const text = generatedNetworkConfig({ metadata: { namespace: 'a' } }, net, { ...dns, clusterDNS: ['10.100.0.53'], clusterDomain: 'example.internal', hostResolvConf: '' });
    expect(text).toContain('addresses: ["10.100.0.53"]');
    expect(text).toContain('search: ["a.svc.example.internal", "svc.example.internal", "example.internal"]');
  });

  it('without a cluster DNS the node resolver is used (dnsPolicy Default), without a gateway no route', () => {
    const text = generatedNetworkConfig(vmi, { ...net, gateway: undefined }, { ...dns, clusterDNS: [] });
    expect(text).toContain('addresses: ["1.1.1.1"]');
    expect(text).toContain('search: ["corp.example"]');
    expect(text).not.toContain('routes:');
  });
});

describe('vmiConfigDisks', () => {
  const vmi = (volumes: object[], disks: object[]) =>
    ({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name: 'vm', namespace: 'shop' }, spec: { domain: { devices: { disks } }, volumes } }) as unknown as VirtualMachineInstance;
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config' }, data: { 'b.conf': 'B', 'a.conf': 'A' }, binaryData: { 'blob.bin': b64('\u0000\u0001') } };
  const objects = (over: { configMaps?: object; secrets?: object } = {}) => ({
    configMaps: new Map(Object.entries(over.configMaps ?? { 'app-config': cm })),
    secrets: new Map(Object.entries(over.secrets ?? { 'app-secret': secret('app-secret', { password: 's3cret' }) })),
  }) as never;

  it('every key of the ConfigMap and Secret becomes a file; label cfgdata unless volumeLabel; serial from the disk', () => {
    const disks = vmiConfigDisks(vmi(
      [{ name: 'root', containerDisk: { image: 'x' } }, { name: 'cfg', configMap: { name: 'app-config' } }, { name: 'sec', secret: { secretName: 'app-secret', volumeLabel: 'SECRETS' } }],
      [{ name: 'root' }, { name: 'cfg', serial: 'CFG1' }, { name: 'sec' }],
    ), objects());
    expect(disks).toEqual([
      { name: 'cfg', label: 'cfgdata', serial: 'CFG1', files: [{ path: 'a.conf', base64: b64('A') }, { path: 'b.conf', base64: b64('B') }, { path: 'blob.bin', base64: b64('\u0000\u0001') }] },
      { name: 'sec', label: 'SECRETS', files: [{ path: 'password', base64: b64('s3cret') }] },
    ]);
  });

  it('a volume no disk names is not attached', () => {
    expect(vmiConfigDisks(vmi([{ name: 'cfg', configMap: { name: 'app-config' } }], []), objects())).toEqual([]);
  });

  it('a missing object fails with the kubelet wording unless optional (then the disk is empty)', () => {
    const missing = objects({ configMaps: { 'app-config': null }, secrets: {} });
    expect(() => vmiConfigDisks(vmi([{ name: 'cfg', configMap: { name: 'app-config' } }], [{ name: 'cfg' }]), missing)).toThrow('MountVolume.SetUp failed for volume "cfg" : configmap "app-config" not found');
    expect(vmiConfigDisks(vmi([{ name: 'cfg', configMap: { name: 'app-config', optional: true } }], [{ name: 'cfg' }]), missing)).toEqual([{ name: 'cfg', label: 'cfgdata', files: [] }]);
  });
});
