import { claimKeysOf, nameFromFieldSelector, provisionedHere, provisionRefusal, referencesFrom } from './node-graph';

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

  it.each<[string, object[], 'secrets' | 'configmaps' | 'persistentvolumeclaims', string, boolean]>([
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
    ['pod claim on this node', [pod('n1', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] })], 'persistentvolumeclaims', 'data', true],
    ['pod claim on another node', [pod('n2', { volumes: [{ name: 'd', persistentVolumeClaim: { claimName: 'data' } }] })], 'persistentvolumeclaims', 'data', false],
    ['VMI dataVolume claim', [vmi('n1', [{ name: 'd', dataVolume: { name: 'disk' } }])], 'persistentvolumeclaims', 'disk', true],
    ['a secret name does not open a claim', [pod('n1', { volumes: [{ name: 'v', secret: { secretName: 'data' } }] })], 'persistentvolumeclaims', 'data', false],
  ])('%s', (_name, workloads, resource, name, want) => {
    expect(referencesFrom(workloads as never, 'n1', resource, name)).toBe(want);
  });
});

describe('claimKeysOf', () => {
  it('lists each claim of the workloads bound to the node once, by namespace', () => {
    const w = (ns: string, node: string, claim: string) => ({ kind: 'Pod', metadata: { name: 'p', namespace: ns }, spec: { nodeName: node, volumes: [{ name: 'd', persistentVolumeClaim: { claimName: claim } }] } });
    expect(claimKeysOf([w('a', 'n1', 'x'), w('a', 'n1', 'x'), w('b', 'n1', 'x'), w('a', 'n2', 'y')] as never, 'n1')).toEqual([['a', 'x'], ['b', 'x']]);
  });
});

describe('local provisioner volumes created by a node', () => {
  const claim = (annotations: Record<string, string>, extra: object = {}) => ({ metadata: { name: 'data', namespace: 'default', uid: 'u1', annotations }, spec: { ...extra } });
  const wanted = claim({ 'volume.kubernetes.io/storage-provisioner': 'coxswain.io/local', 'volume.kubernetes.io/selected-node': 'n1' });
  const affinity = (values: string[]) => ({ required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values }] }] } });
  const pv = (over: { name?: string; node?: string; label?: string; annotation?: string; spec?: object } = {}) => ({
    metadata: { name: over.name ?? 'pvc-u1', annotations: { 'pv.kubernetes.io/provisioned-by': over.annotation ?? 'coxswain.io/local' }, labels: { 'coxswain.io/node': over.label ?? 'n1' } },
    spec: { local: { path: '/var/lib/x' }, nodeAffinity: affinity([over.node ?? 'n1']), claimRef: { namespace: 'default', name: 'data', uid: 'u1' }, ...over.spec },
  });

  it.each<[string, object, object | undefined, RegExp | undefined]>([
    ['its volume for a claim selected to it', pv(), wanted, undefined],
    ['pinned to another node', pv({ node: 'n2' }), wanted, /pinned to node "n1"/],
    ['labelled for another node', pv({ label: 'n2' }), wanted, /labelled coxswain.io\/node=n1/],
    ['another provisioner', pv({ annotation: 'example.com/nfs' }), wanted, /annotated pv.kubernetes.io\/provisioned-by=coxswain.io\/local/],
    ['two hostnames', pv({ spec: { nodeAffinity: affinity(['n1', 'n2']) } }), wanted, /pinned/],
    ['a hostPath volume', pv({ spec: { local: undefined, hostPath: { path: '/' } } }), wanted, /only create local volumes/],
    ['not pre-bound', pv({ spec: { claimRef: undefined } }), wanted, /pre-bound/],
    ['claim missing', pv(), undefined, /not found/],
    ['claim recreated (other uid)', pv(), { ...wanted, metadata: { ...wanted.metadata, uid: 'u2' } }, /not found/],
    ['wrong name', pv({ name: 'mine' }), wanted, /must be named pvc-u1/],
    ['claim for another provisioner', pv(), claim({ 'volume.kubernetes.io/storage-provisioner': 'other', 'volume.kubernetes.io/selected-node': 'n1' }), /not to be provisioned by coxswain.io\/local/],
    ['claim selected to another node', pv(), claim({ 'volume.kubernetes.io/storage-provisioner': 'coxswain.io/local', 'volume.kubernetes.io/selected-node': 'n2' }), /not selected to node "n1"/],
    ['claim already bound', pv(), claim({ 'volume.kubernetes.io/storage-provisioner': 'coxswain.io/local', 'volume.kubernetes.io/selected-node': 'n1' }, { volumeName: 'other' }), /already bound/],
  ])('%s', (_name, volume, owner, refusal) => {
    const why = provisionRefusal(volume, owner, 'n1');
    if (refusal) expect(why).toMatch(refusal);
    else expect(why).toBeUndefined();
  });

  it('knows its own volumes (annotation, label and affinity all agree)', () => {
    expect(provisionedHere(pv(), 'n1')).toBe(true);
    expect(provisionedHere(pv(), 'n2')).toBe(false);
    expect(provisionedHere(pv({ label: 'n2' }), 'n1')).toBe(false);
    expect(provisionedHere(pv({ node: 'n2', label: 'n2' }), 'n1')).toBe(false);
  });
});
