import { ConfigMap, Container, Pod, Secret } from '@coxswain/api';
import { expandVars } from './expand';
import { ContainerConfigError, expandCommand, resolveEnv, resourceFieldValue } from './resolve-env';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const pod: Pod = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'prod', uid: 'u-1', labels: { app: 'web', tier: 'front' }, annotations: { note: 'a"b' } },
  spec: { nodeName: 'n1', serviceAccountName: 'robot', containers: [] },
};
const cm = (name: string, data: Record<string, string>, binaryData?: Record<string, string>): ConfigMap => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data, binaryData });
const secret = (name: string, data: Record<string, string>): Secret => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name }, data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, b64(v)])) });
const objects = {
  configMaps: new Map<string, ConfigMap | null>([['app', cm('app', { color: 'blue', 'bad key': 'x', '1st': 'y', size: 'L' }, { bin: b64('binary') })], ['gone', null]]),
  secrets: new Map<string, Secret | null>([['db', secret('db', { password: 'hunter2', user: 'admin' })]]),
};
const resolve = (container: Partial<Container>) =>
  resolveEnv({ pod, container: { name: 'c', image: 'busybox', ...container } as Container, podIP: '10.88.0.5', hostIP: '10.0.0.1', nodeAllocatable: { cpu: '2', memory: '4Gi' }, objects });
const envOf = (container: Partial<Container>) => Object.fromEntries(resolve(container).env);

describe('expandVars', () => {
  const vars = new Map([['A', 'x'], ['B', 'y']]);
  it.each([
    ['$(A)-$(B)', 'x-y'],
    ['$(MISSING)', '$(MISSING)'],
    ['$$(A)', '$(A)'],
    ['$$$(A)', '$x'],
    ['cost $5', 'cost $5'],
    ['$(A', '$(A'],
    ['$(A$(B)', '$(A$(B)'],
    ['trailing $', 'trailing $'],
  ])('%s → %s', (input, want) => {
    expect(expandVars(input, vars)).toBe(want);
  });
});

describe('resolveEnv', () => {
  it.each<[string, Partial<Container>, Record<string, string>]>([
    ['plain value', { env: [{ name: 'A', value: '1' }] }, { A: '1' }],
    ['configMapKeyRef', { env: [{ name: 'C', valueFrom: { configMapKeyRef: { name: 'app', key: 'color' } } }] }, { C: 'blue' }],
    ['binaryData key', { env: [{ name: 'B', valueFrom: { configMapKeyRef: { name: 'app', key: 'bin' } } }] }, { B: 'binary' }],
    ['secretKeyRef decodes base64', { env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'password' } } }] }, { P: 'hunter2' }],
    ['optional missing key is unset', { env: [{ name: 'P', valueFrom: { secretKeyRef: { name: 'db', key: 'nope', optional: true } } }] }, {}],
    ['optional missing object is unset', { env: [{ name: 'G', valueFrom: { configMapKeyRef: { name: 'gone', key: 'k', optional: true } } }] }, {}],
    ['fieldRefs', {
      env: [
        { name: 'N', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
        { name: 'NS', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
        { name: 'UID', valueFrom: { fieldRef: { fieldPath: 'metadata.uid' } } },
        { name: 'L', valueFrom: { fieldRef: { fieldPath: "metadata.labels['app']" } } },
        { name: 'LS', valueFrom: { fieldRef: { fieldPath: 'metadata.labels' } } },
        { name: 'AN', valueFrom: { fieldRef: { fieldPath: 'metadata.annotations' } } },
        { name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } },
        { name: 'SA', valueFrom: { fieldRef: { fieldPath: 'spec.serviceAccountName' } } },
        { name: 'IP', valueFrom: { fieldRef: { fieldPath: 'status.podIP' } } },
        { name: 'IPS', valueFrom: { fieldRef: { fieldPath: 'status.podIPs' } } },
        { name: 'HOST', valueFrom: { fieldRef: { fieldPath: 'status.hostIP' } } },
      ],
    }, { N: 'web', NS: 'prod', UID: 'u-1', L: 'web', LS: 'app="web"\ntier="front"', AN: 'note="a\\"b"', NODE: 'n1', SA: 'robot', IP: '10.88.0.5', IPS: '10.88.0.5', HOST: '10.0.0.1' }],
    ['resourceFieldRef with divisor, limits default to allocatable', {
      resources: { requests: { cpu: '250m', memory: '64Mi' }, limits: { memory: '128Mi' } },
      env: [
        { name: 'RC', valueFrom: { resourceFieldRef: { resource: 'requests.cpu' } } },
        { name: 'RCM', valueFrom: { resourceFieldRef: { resource: 'requests.cpu', divisor: '1m' } } },
        { name: 'LM', valueFrom: { resourceFieldRef: { resource: 'limits.memory', divisor: '1Mi' } } },
        { name: 'RM', valueFrom: { resourceFieldRef: { resource: 'requests.memory' } } },
        { name: 'LC', valueFrom: { resourceFieldRef: { resource: 'limits.cpu' } } },
      ],
    }, { RC: '1', RCM: '250', LM: '128', RM: String(64 * 1024 * 1024), LC: '2' }],
    ['envFrom with prefix, invalid keys skipped, env overrides', {
      envFrom: [{ configMapRef: { name: 'app' }, prefix: 'APP_' }, { secretRef: { name: 'db' } }],
      env: [{ name: 'user', value: 'override' }],
    }, { APP_color: 'blue', APP_bin: 'binary', APP_size: 'L', APP_1st: 'y', password: 'hunter2', user: 'override' }],
    ['optional envFrom of a missing object', { envFrom: [{ configMapRef: { name: 'gone', optional: true } }] }, {}],
    ['$(VAR) expansion against earlier vars only', { env: [{ name: 'A', value: 'x' }, { name: 'B', value: '$(A)-$(C)' }, { name: 'C', value: 'z' }] }, { A: 'x', B: 'x-$(C)', C: 'z' }],
  ])('%s', (_name, container, want) => {
    expect(envOf(container)).toEqual(want);
  });

  it('warns about envFrom keys that are not valid variable names, as the kubelet does', () => {
    expect(resolve({ envFrom: [{ configMapRef: { name: 'app' } }] }).warnings).toEqual([
      'Keys [1st, bad key] from the EnvFrom configmap prod/app were skipped since they are considered invalid environment variable names.',
    ]);
  });

  it.each<[string, Partial<Container>, string]>([
    ['missing configmap', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'nope', key: 'k' } } }] }, 'configmap "nope" not found'],
    ['missing key in ConfigMap', { env: [{ name: 'X', valueFrom: { configMapKeyRef: { name: 'app', key: 'k' } } }] }, "couldn't find key k in ConfigMap prod/app"],
    ['missing secret', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'gone', key: 'k' } } }] }, 'secret "gone" not found'],
    ['missing key in Secret', { env: [{ name: 'X', valueFrom: { secretKeyRef: { name: 'db', key: 'k' } } }] }, "couldn't find key k in Secret prod/db"],
    ['missing envFrom', { envFrom: [{ secretRef: { name: 'gone' } }] }, 'secret "gone" not found'],
  ])('%s → ContainerConfigError', (_name, container, message) => {
    expect(() => resolve(container)).toThrow(new ContainerConfigError(message));
  });

  it('expands command and args with the resolved env', () => {
    expect(expandCommand(['sh', '-c', 'echo $(A) $$(A) $(NOPE)'], [['A', 'x']])).toEqual(['sh', '-c', 'echo x $(A) $(NOPE)']);
    expect(expandCommand(undefined, [])).toBeUndefined();
  });
});

describe('resolveEnv with service variables (the kubelet\'s order)', () => {
  const services = [
    { metadata: { namespace: 'default', name: 'kubernetes' }, spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP' }] } },
    { metadata: { namespace: 'prod', name: 'db' }, spec: { clusterIP: '10.96.0.7', ports: [{ port: 5432, protocol: 'TCP' }] } },
    { metadata: { namespace: 'other', name: 'cache' }, spec: { clusterIP: '10.96.0.8', ports: [{ port: 6379, protocol: 'TCP' }] } },
  ];
  const withServices = (container: Partial<Container>, enableServiceLinks?: boolean) => resolveEnv({
    pod: { ...pod, spec: { ...pod.spec, enableServiceLinks } },
    container: { name: 'c', image: 'busybox', ...container } as Container,
    podIP: '10.88.0.5', hostIP: '10.0.0.1', nodeAllocatable: {}, objects: { ...objects, configMaps: new Map([...objects.configMaps, ['links', cm('links', { HOST: 'from-cm' })]]), services },
  }).env;

  it.each<[string, Partial<Container>, boolean | undefined, Record<string, string | undefined>]>([
    ['links default on: same-namespace and master services', {}, undefined, { DB_SERVICE_HOST: '10.96.0.7', DB_PORT: 'tcp://10.96.0.7:5432', KUBERNETES_SERVICE_HOST: '10.96.0.1', CACHE_SERVICE_HOST: undefined }],
    ['links off: master service only', {}, false, { DB_SERVICE_HOST: undefined, KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' }],
    ['user env wins over a service variable', { env: [{ name: 'DB_SERVICE_HOST', value: 'mine' }] }, undefined, { DB_SERVICE_HOST: 'mine' }],
    ['envFrom wins over a service variable', { envFrom: [{ configMapRef: { name: 'links' }, prefix: 'DB_SERVICE_' }] as never }, undefined, { DB_SERVICE_HOST: 'from-cm', DB_SERVICE_PORT: '5432' }],
    ['$(VAR) sees service variables', { env: [{ name: 'URL', value: 'postgres://$(DB_SERVICE_HOST):$(DB_SERVICE_PORT)/x' }] }, undefined, { URL: 'postgres://10.96.0.7:5432/x' }],
    ['$(VAR) prefers the container\'s own earlier value', { env: [{ name: 'DB_SERVICE_HOST', value: 'local' }, { name: 'U', value: '$(DB_SERVICE_HOST)' }] }, undefined, { U: 'local' }],
  ])('%s', (_name, container, links, want) => {
    const env = Object.fromEntries(withServices(container, links));
    for (const [k, v] of Object.entries(want)) expect(env[k]).toBe(v);
  });

  it('puts the container\'s own variables first, service variables after', () => {
    const env = withServices({ env: [{ name: 'A', value: '1' }] });
    expect(env[0]).toEqual(['A', '1']);
    expect(env.slice(1).every(([k]) => k.startsWith('DB_') || k.startsWith('KUBERNETES_'))).toBe(true);
  });

  it('command and args expand service variables', () => {
    const env = withServices({});
    expect(expandCommand(['echo', '$(KUBERNETES_SERVICE_HOST):$(KUBERNETES_SERVICE_PORT)'], env)).toEqual(['echo', '10.96.0.1:443']);
  });

  it('no Services known: no service variables', () => {
    expect(envOf({}).KUBERNETES_SERVICE_HOST).toBeUndefined();
  });
});

describe('resourceFieldValue (Kubernetes ExtractContainerResourceValue)', () => {
  const withResources = (resources: Container['resources']) => ({ name: 'c', image: 'busybox', resources }) as Container;
  const node = { cpu: '2', memory: '4Gi', 'ephemeral-storage': '100Gi' };
  it.each<[string, string, string | undefined, Container['resources'], Record<string, string>, string]>([
    ['limits.ephemeral-storage set', 'limits.ephemeral-storage', undefined, { limits: { 'ephemeral-storage': '2Gi' } }, node, String(2 * 1024 ** 3)],
    ['limits.ephemeral-storage with divisor 1Mi', 'limits.ephemeral-storage', '1Mi', { limits: { 'ephemeral-storage': '2Gi' } }, node, '2048'],
    ['divisor rounds up', 'limits.ephemeral-storage', '1G', { limits: { 'ephemeral-storage': '1500M' } }, node, '2'],
    ['limit unset: node allocatable', 'limits.ephemeral-storage', '1Gi', {}, node, '100'],
    ['limit zero: node allocatable', 'limits.ephemeral-storage', '1Gi', { limits: { 'ephemeral-storage': '0' } }, node, '100'],
    ['limit unset, node does not advertise it: 0', 'limits.ephemeral-storage', undefined, {}, { cpu: '2' }, '0'],
    ['requests.ephemeral-storage set', 'requests.ephemeral-storage', '1Ki', { requests: { 'ephemeral-storage': '10Mi' } }, node, '10240'],
    ['request unset: 0', 'requests.ephemeral-storage', undefined, { limits: { 'ephemeral-storage': '1Gi' } }, node, '0'],
    ['limits.memory zero defaults like unset', 'limits.memory', '1Gi', { limits: { memory: '0' } }, node, '4'],
  ])('%s', (_name, resource, divisor, resources, allocatable, want) => {
    expect(resourceFieldValue({ resource, ...(divisor ? { divisor } : {}) }, withResources(resources), allocatable)).toBe(want);
  });

  it.each(['limits.hugepages-2Mi', 'limits.nvidia.com/gpu', 'status.cpu'])('%s is refused (CreateContainerConfigError)', (resource) => {
    expect(() => resourceFieldValue({ resource }, withResources({}), node)).toThrow(ContainerConfigError);
  });
});
