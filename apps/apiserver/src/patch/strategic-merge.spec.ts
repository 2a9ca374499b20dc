import { strategicMergePatch } from './strategic-merge';

const pod = {
  metadata: { name: 'web', labels: { app: 'web', old: 'x' }, finalizers: ['a'] },
  spec: {
    containers: [
      { name: 'app', image: 'busybox:1', env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }], ports: [{ containerPort: 80, name: 'http' }], args: ['a', 'b'] },
      { name: 'side', image: 'sidecar:1' },
    ],
    tolerations: [{ key: 'a', operator: 'Exists' }],
    volumes: [{ name: 'data', emptyDir: {} }],
  },
};

describe('strategicMergePatch', () => {
  it.each<[string, object, (r: any) => void]>([ // eslint-disable-line @typescript-eslint/no-explicit-any
    ['merges maps and deletes with null', { metadata: { labels: { old: null, tier: 'front' } } }, (r) => expect(r.metadata.labels).toEqual({ app: 'web', tier: 'front' })],
    ['merges containers by name', { spec: { containers: [{ name: 'app', image: 'busybox:2' }] } }, (r) => {
      expect(r.spec.containers).toHaveLength(2);
      expect(r.spec.containers[0].image).toBe('busybox:2');
      expect(r.spec.containers[0].env).toHaveLength(2);
      expect(r.spec.containers[1].image).toBe('sidecar:1');
    }],
    ['adds a container', { spec: { containers: [{ name: 'new', image: 'x' }] } }, (r) => expect(r.spec.containers.map((c: { name: string }) => c.name)).toEqual(['app', 'side', 'new'])],
    ['deletes a container with $patch: delete', { spec: { containers: [{ name: 'side', $patch: 'delete' }] } }, (r) => expect(r.spec.containers.map((c: { name: string }) => c.name)).toEqual(['app'])],
    ['merges env by name', { spec: { containers: [{ name: 'app', env: [{ name: 'B', value: '3' }, { name: 'C', value: '4' }] }] } }, (r) => expect(r.spec.containers[0].env).toEqual([{ name: 'A', value: '1' }, { name: 'B', value: '3' }, { name: 'C', value: '4' }])],
    ['merges ports by containerPort', { spec: { containers: [{ name: 'app', ports: [{ containerPort: 80, protocol: 'TCP' }, { containerPort: 443 }] }] } }, (r) => expect(r.spec.containers[0].ports).toEqual([{ containerPort: 80, name: 'http', protocol: 'TCP' }, { containerPort: 443 }])],
    ['replaces tolerations', { spec: { tolerations: [{ key: 'b', operator: 'Exists' }] } }, (r) => expect(r.spec.tolerations).toEqual([{ key: 'b', operator: 'Exists' }])],
    ['replaces primitive lists (args)', { spec: { containers: [{ name: 'app', args: ['c'] }] } }, (r) => expect(r.spec.containers[0].args).toEqual(['c'])],
    ['merges finalizers as a set', { metadata: { finalizers: ['b', 'a'] } }, (r) => expect(r.metadata.finalizers).toEqual(['a', 'b'])],
    ['removes from primitive lists', { metadata: { '$deleteFromPrimitiveList/finalizers': ['a'] } }, (r) => expect(r.metadata.finalizers).toEqual([])],
    ['orders with $setElementOrder', { spec: { '$setElementOrder/containers': [{ name: 'side' }, { name: 'app' }], containers: [{ name: 'app', image: 'busybox:3' }] } }, (r) => {
      expect(r.spec.containers.map((c: { name: string }) => c.name)).toEqual(['side', 'app']);
      expect(r.spec.containers[1].image).toBe('busybox:3');
    }],
    ['replaces a map with $patch: replace', { metadata: { labels: { $patch: 'replace', only: 'this' } } }, (r) => expect(r.metadata.labels).toEqual({ only: 'this' })],
    ['replaces a list with a $patch: replace item', { spec: { volumes: [{ $patch: 'replace' }, { name: 'v2', emptyDir: {} }] } }, (r) => expect(r.spec.volumes).toEqual([{ name: 'v2', emptyDir: {} }])],
    ['retains only listed keys', { spec: { $retainKeys: ['containers'], containers: [{ name: 'app' }] } }, (r) => expect(Object.keys(r.spec)).toEqual(['containers'])],
  ])('%s', (_name, patch, check) => {
    const before = JSON.stringify(pod);
    check(strategicMergePatch(pod, patch));
    expect(JSON.stringify(pod)).toBe(before); // input untouched
  });

  it('rejects a non-object patch', () => {
    expect(() => strategicMergePatch(pod, [1])).toThrow(/must be a JSON object/);
  });
});
