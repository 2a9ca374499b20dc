import { applyDefaults } from '../defaults/defaults';
import { validateObject } from './validate';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pod = (spec: Obj, container: Obj = {}): Obj =>
  applyDefaults({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { containers: [{ name: 'c', image: 'busybox', ...container }], ...spec } } as never) as Obj;
const causes = (obj: Obj) => validateObject(obj).causes.map((c) => `${c.field}: ${c.message}`);

describe('pod volumes', () => {
  it.each<[string, Obj[], string[]]>([
    ['supported sources', [
      { name: 'a', emptyDir: { medium: 'Memory', sizeLimit: '64Mi' } },
      { name: 'b', configMap: { name: 'cfg', items: [{ key: 'k', path: 'dir/k', mode: 0o400 }], defaultMode: 0o644 } },
      { name: 'c', secret: { secretName: 'db', optional: true } },
      { name: 'd', downwardAPI: { items: [{ path: 'labels', fieldRef: { fieldPath: 'metadata.labels' } }, { path: 'mem', resourceFieldRef: { containerName: 'c', resource: 'limits.memory' } }] } },
      { name: 'e', projected: { sources: [{ configMap: { name: 'cfg' } }, { secret: { name: 'db' } }] } },
      { name: 'f', hostPath: { path: '/tmp', type: 'DirectoryOrCreate' } },
      { name: 'g' },
    ], []],
    ['persistentVolumeClaim', [{ name: 'data', persistentVolumeClaim: { claimName: 'data-db-0', readOnly: true } }], []],
    ['persistentVolumeClaim without claimName', [{ name: 'data', persistentVolumeClaim: {} }], ['spec.volumes[0].persistentVolumeClaim.claimName: Required value']],
    ['generic ephemeral volume is refused with a reason', [{ name: 'data', ephemeral: { volumeClaimTemplate: {} } }], ['spec.volumes[0].ephemeral: Forbidden: generic ephemeral volumes are not supported yet; create a PersistentVolumeClaim and use persistentVolumeClaim']],
    ['an unknown source is refused, not replaced by emptyDir', [{ name: 'n', nfs: { server: 'x', path: '/' } }], ['spec.volumes[0].nfs: Forbidden: volume type nfs is not supported by Coxswain']],
    ['two sources', [{ name: 'x', emptyDir: {}, configMap: { name: 'a' } }], ['spec.volumes[0].configMap: Forbidden: may not specify more than 1 volume type']],
    ['configMap without a name', [{ name: 'x', configMap: {} }], ['spec.volumes[0].configMap.name: Required value']],
    ['secret without secretName', [{ name: 'x', secret: {} }], ['spec.volumes[0].secret.secretName: Required value']],
    ['item path escaping the volume', [{ name: 'x', configMap: { name: 'a', items: [{ key: 'k', path: '../etc/passwd' }] } }], ['spec.volumes[0].configMap.items[0].path: Invalid value: "../etc/passwd": must not contain \'..\'']],
    ['absolute item path', [{ name: 'x', secret: { secretName: 'a', items: [{ key: 'k', path: '/abs' }] } }], ['spec.volumes[0].secret.items[0].path: Invalid value: "/abs": must be a relative path']],
    ['mode out of range', [{ name: 'x', configMap: { name: 'a', defaultMode: 0o1777 } }], ['spec.volumes[0].configMap.defaultMode: Invalid value: 1023: must be a number between 0 and 0777 (octal), both inclusive']],
    ['emptyDir HugePages', [{ name: 'x', emptyDir: { medium: 'HugePages' } }], ['spec.volumes[0].emptyDir.medium: Unsupported value: "HugePages": supported values: "", "Memory"']],
    ['projected service account token', [{ name: 'x', projected: { sources: [{ serviceAccountToken: { path: 't' } }] } }], ['spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: projected source serviceAccountToken is not supported: Coxswain issues no ServiceAccount tokens (no TokenRequest API and no service-account signing key), so no token can be mounted']],
    ['kube-api-access as Kubernetes writes it: the token source is refused, the rest is fine', [{ name: 'kube-api-access-x', projected: { defaultMode: 0o644, sources: [
      { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ] } }], ['spec.volumes[0].projected.sources[0].serviceAccountToken: Forbidden: projected source serviceAccountToken is not supported: Coxswain issues no ServiceAccount tokens (no TokenRequest API and no service-account signing key), so no token can be mounted']],
    ['downward resourceFieldRef needs containerName', [{ name: 'x', downwardAPI: { items: [{ path: 'm', resourceFieldRef: { resource: 'limits.memory' } }] } }], ['spec.volumes[0].downwardAPI.items[0].resourceFieldRef.containerName: Required value']],
  ])('%s', (_name, volumes, want) => {
    expect(causes(pod({ volumes }))).toEqual(want);
  });
});

describe('env references', () => {
  it.each<[string, Obj, string[]]>([
    ['all kinds', {
      env: [
        { name: 'A', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } },
        { name: 'B', valueFrom: { secretKeyRef: { name: 'db', key: 'p', optional: true } } },
        { name: 'C', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'D', valueFrom: { resourceFieldRef: { resource: 'limits.cpu', divisor: '1m' } } },
      ],
      envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'CFG_' }, { secretRef: { name: 'db' } }],
    }, []],
    ['two sources in one valueFrom', { env: [{ name: 'A', valueFrom: { configMapKeyRef: { name: 'c', key: 'k' }, secretKeyRef: { name: 's', key: 'k' } } }] }, ['spec.containers[0].env[0].valueFrom: Invalid value: "": may not have more than one field specified at a time']],
    ['key missing', { env: [{ name: 'A', valueFrom: { secretKeyRef: { name: 's' } } }] }, ['spec.containers[0].env[0].valueFrom.secretKeyRef.key: Required value']],
    ['unsupported fieldPath', { env: [{ name: 'A', valueFrom: { fieldRef: { fieldPath: 'spec.containers' } } }] }, [expect.stringMatching(/^spec.containers\[0\].env\[0\].valueFrom.fieldRef.fieldPath: Unsupported value: "spec.containers"/)] as never],
    ['envFrom with both refs', { envFrom: [{ configMapRef: { name: 'a' }, secretRef: { name: 'b' } }] }, ['spec.containers[0].envFrom[0]: Invalid value: "": may not have more than one field specified at a time']],
    ['bad prefix', { envFrom: [{ configMapRef: { name: 'a' }, prefix: '1=' }] }, [expect.stringMatching(/^spec.containers\[0\].envFrom\[0\].prefix: Invalid value: "1="/)] as never],
    ['subPath escaping', { volumeMounts: [{ name: 'v', mountPath: '/m', subPath: '../x' }] }, ['spec.containers[0].volumeMounts[0].subPath: Invalid value: "../x": must not contain \'..\'']],
  ])('%s', (_name, container, want) => {
    expect(causes(pod({ volumes: [{ name: 'v', emptyDir: {} }] }, container))).toEqual(want);
  });
});
