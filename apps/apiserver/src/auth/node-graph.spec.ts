import { nameFromFieldSelector, referencesFrom } from './node-graph';

const q = (fieldSelector?: string) => new URLSearchParams(fieldSelector === undefined ? {} : { fieldSelector });

describe('nameFromFieldSelector', () => {
  it.each<[string, string | undefined, string | undefined]>([
    ['watch', 'metadata.name=db', 'db'],
    ['list', 'metadata.name==db', 'db'],
    ['get', 'metadata.name=db', undefined],
    ['list', 'metadata.name!=db', undefined],
    ['list', 'metadata.name=db,type=Opaque', undefined],
    ['list', 'type=Opaque', undefined],
    ['list', undefined, undefined],
    ['list', 'metadata.name=', undefined],
  ])('%s ?fieldSelector=%s → %s', (verb, selector, want) => {
    expect(nameFromFieldSelector(verb, q(selector))).toBe(want);
  });
});

describe('referencesFrom', () => {
  const pod = (nodeName: string | undefined, spec: object) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'default' }, spec: { nodeName, containers: [], ...spec } });
  const vmi = (nodeName: string, volumes: object[]) => ({ apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachineInstance', metadata: { name: 'v', namespace: 'default' }, spec: { nodeName, domain: {}, volumes } });

  it.each<[string, object[], 'secrets' | 'configmaps', string, boolean]>([
    ['secret volume on this node', [pod('n1', { volumes: [{ name: 'v', secret: { secretName: 'db' } }] })], 'secrets', 'db', true],
    ['same pod on another node', [pod('n2', { volumes: [{ name: 'v', secret: { secretName: 'db' } }] })], 'secrets', 'db', false],
    ['unbound pod', [pod(undefined, { volumes: [{ name: 'v', secret: { secretName: 'db' } }] })], 'secrets', 'db', false],
    ['env secretKeyRef', [pod('n1', { containers: [{ name: 'c', env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'p' } } }] }] })], 'secrets', 'db', true],
    ['envFrom configMapRef', [pod('n1', { containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'cfg' } }] }] })], 'configmaps', 'cfg', true],
    ['configmap name does not open a secret of that name', [pod('n1', { containers: [{ name: 'c', envFrom: [{ configMapRef: { name: 'cfg' } }] }] })], 'secrets', 'cfg', false],
    ['projected sources', [pod('n1', { volumes: [{ name: 'v', projected: { sources: [{ configMap: { name: 'a' } }, { secret: { name: 'b' } }] } }] })], 'secrets', 'b', true],
    ['imagePullSecrets', [pod('n1', { imagePullSecrets: [{ name: 'regcred' }] })], 'secrets', 'regcred', true],
    ['init container env', [pod('n1', { initContainers: [{ name: 'i', env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'init', key: 'k' } } }] }] })], 'configmaps', 'init', true],
    ['VMI cloud-init secretRef', [vmi('n1', [{ name: 'ci', cloudInitNoCloud: { secretRef: { name: 'userdata' } } }])], 'secrets', 'userdata', true],
    ['VMI networkDataSecretRef', [vmi('n1', [{ name: 'ci', cloudInitNoCloud: { networkDataSecretRef: { name: 'net' } } }])], 'secrets', 'net', true],
    ['VMI configMap volume', [vmi('n1', [{ name: 'c', configMap: { name: 'app' } }])], 'configmaps', 'app', true],
    ['unreferenced', [pod('n1', {})], 'secrets', 'db', false],
  ])('%s', (_name, workloads, resource, name, want) => {
    expect(referencesFrom(workloads as never, 'n1', resource, name)).toBe(want);
  });
});
