import { ConfigMap, Pod, Secret } from '@coxswain/api';
import { volumePayload, VolumeSetupError } from './payload';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'prod', uid: 'u-1', labels: { app: 'web' } },
  spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'busybox', resources: { limits: { memory: '64Mi' } } }] },
};
const objects = {
  configMaps: new Map<string, ConfigMap | null>([['app', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app' }, data: { 'a.conf': 'A', 'b.conf': 'B' }, binaryData: { bin: b64('\u0001\u0002') } }]]),
  secrets: new Map<string, Secret | null>([['db', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db' }, data: { password: b64('hunter2') } }]]),
};
const files = (volume: object) =>
  Object.fromEntries([...volumePayload({ name: 'v', ...volume }, { pod, objects, podIP: '10.88.0.5', hostIP: '10.0.0.1', nodeAllocatable: {} })].map(([k, f]) => [k, [f.data.toString('latin1'), f.mode.toString(8)]]));

describe('volumePayload', () => {
  it.each<[string, object, Record<string, [string, string]>]>([
    ['configMap: every key, default mode 0644', { configMap: { name: 'app' } }, { 'a.conf': ['A', '644'], 'b.conf': ['B', '644'], bin: ['\u0001\u0002', '644'] }],
    ['configMap items with path and mode', { configMap: { name: 'app', defaultMode: 0o600, items: [{ key: 'a.conf', path: 'conf/app.conf' }, { key: 'b.conf', path: 'b', mode: 0o400 }] } }, { 'conf/app.conf': ['A', '600'], b: ['B', '400'] }],
    ['secret decoded to bytes', { secret: { secretName: 'db', defaultMode: 0o400 } }, { password: ['hunter2', '400'] }],
    ['optional missing secret: empty', { secret: { secretName: 'nope', optional: true } }, {}],
    ['optional missing key skipped', { configMap: { name: 'app', optional: true, items: [{ key: 'zzz', path: 'z' }, { key: 'a.conf', path: 'a' }] } }, { a: ['A', '644'] }],
    ['downwardAPI fields and resources', {
      downwardAPI: { items: [
        { path: 'name', fieldRef: { fieldPath: 'metadata.name' } },
        { path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } },
        { path: 'mem', resourceFieldRef: { containerName: 'app', resource: 'limits.memory', divisor: '1Mi' } },
      ] },
    }, { name: ['web', '644'], labels: ['app="web"', '644'], mem: ['64', '644'] }],
    ['projected merges sources under one defaultMode', {
      projected: { defaultMode: 0o440, sources: [
        { configMap: { name: 'app', items: [{ key: 'a.conf', path: 'a' }] } },
        { secret: { name: 'db' } },
        { downwardAPI: { items: [{ path: 'ns', fieldRef: { fieldPath: 'metadata.namespace' } }] } },
      ] },
    }, { a: ['A', '440'], password: ['hunter2', '440'], ns: ['prod', '440'] }],
  ])('%s', (_name, volume, want) => {
    expect(files(volume)).toEqual(want);
  });

  it.each<[string, object, string]>([
    ['missing configmap', { configMap: { name: 'nope' } }, 'MountVolume.SetUp failed for volume "v" : configmap "nope" not found'],
    ['missing secret', { secret: { secretName: 'nope' } }, 'MountVolume.SetUp failed for volume "v" : secret "nope" not found'],
    ['missing configmap key', { configMap: { name: 'app', items: [{ key: 'k', path: 'k' }] } }, 'MountVolume.SetUp failed for volume "v" : configmap references non-existent config key: k'],
    ['missing secret key', { secret: { secretName: 'db', items: [{ key: 'k', path: 'k' }] } }, 'MountVolume.SetUp failed for volume "v" : references non-existent secret key: k'],
    ['unsupported projected source', { projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }, 'MountVolume.SetUp failed for volume "v" : projected source serviceAccountToken is not supported'],
  ])('%s', (_name, volume, message) => {
    expect(() => files(volume)).toThrow(new VolumeSetupError('v', message.split(' : ')[1]));
    expect(() => files(volume)).toThrow(message);
  });
});
