import { applyDefaults, defaultPullPolicy } from './defaults';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('defaultPullPolicy', () => {
  it.each([
    ['busybox', 'Always'],
    ['busybox:latest', 'Always'],
    ['busybox:1.36', 'IfNotPresent'],
    ['reg:5000/busybox', 'Always'],
    ['reg:5000/busybox:1', 'IfNotPresent'],
    ['busybox@sha256:abc', 'IfNotPresent'],
  ])('%s → %s', (image, policy) => expect(defaultPullPolicy(image)).toBe(policy));
});

describe('applyDefaults', () => {
  it('defaults a Pod like Kubernetes and does not mutate its input', () => {
    const input: Obj = {
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        containers: [{ name: 'a', image: 'busybox', ports: [{ containerPort: 80 }], resources: { limits: { cpu: '1' } }, livenessProbe: { httpGet: { port: 80 } } }],
        volumes: [{ name: 'v' }],
      },
    };
    const out: Obj = applyDefaults(input as never);
    expect(input.apiVersion).toBeUndefined();
    expect(out.apiVersion).toBe('v1');
    expect(out.metadata.namespace).toBe('default');
    expect(out.spec).toMatchObject({ restartPolicy: 'Always', terminationGracePeriodSeconds: 30, dnsPolicy: 'ClusterFirst', schedulerName: 'default-scheduler' });
    const container = out.spec.containers[0];
    expect(container.imagePullPolicy).toBe('Always');
    expect(container.ports[0].protocol).toBe('TCP');
    expect(container.resources.requests).toEqual({ cpu: '1' });
    expect(container.livenessProbe).toMatchObject({ periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 3, successThreshold: 1, httpGet: { path: '/', scheme: 'HTTP' } });
    expect(out.spec.volumes[0].emptyDir).toEqual({});
  });

  it('fills in the object itself when the caller owns it (inPlace), with the same defaults as a copy gets', () => {
    const make = (): Obj => ({ kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'a', image: 'busybox:1', resources: { limits: { memory: '1Gi' } } }] } });
    const owned = make();
    const out = applyDefaults(owned as never, { namespace: 'ns', inPlace: true });
    expect(out).toBe(owned);
    expect(owned).toEqual(applyDefaults(make() as never, { namespace: 'ns' }));
    expect(owned.spec.containers[0]).toMatchObject({ imagePullPolicy: 'IfNotPresent', resources: { requests: { memory: '1Gi' } } });
  });

  it('keeps what the client set', () => {
    const out: Obj = applyDefaults({ kind: 'Pod', metadata: { name: 'p', namespace: 'x' }, spec: { restartPolicy: 'Never', terminationGracePeriodSeconds: 0, containers: [] } } as never, { namespace: 'y' });
    expect(out.metadata.namespace).toBe('x');
    expect(out.spec.restartPolicy).toBe('Never');
    expect(out.spec.terminationGracePeriodSeconds).toBe(0);
  });

  it('uses the request namespace for namespaced kinds only', () => {
    expect((applyDefaults({ kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [] } } as never, { namespace: 'team' }) as Obj).metadata.namespace).toBe('team');
    expect((applyDefaults({ kind: 'Node', metadata: { name: 'n' } } as never, { namespace: 'team' }) as Obj).metadata.namespace).toBeUndefined();
  });

  it('defaults a Deployment', () => {
    const out: Obj = applyDefaults({ kind: 'Deployment', metadata: { name: 'd' }, spec: { selector: {}, template: { spec: { containers: [{ name: 'a', image: 'x:1' }] } } } } as never);
    expect(out.apiVersion).toBe('apps/v1');
    expect(out.spec).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600, strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } } });
    expect(out.spec.template.spec.containers[0].imagePullPolicy).toBe('IfNotPresent');
  });

  it('does not add rollingUpdate to Recreate', () => {
    const out: Obj = applyDefaults({ kind: 'Deployment', metadata: { name: 'd' }, spec: { strategy: { type: 'Recreate' }, selector: {}, template: { spec: { containers: [] } } } } as never);
    expect(out.spec.strategy).toEqual({ type: 'Recreate' });
  });

  it('defaults an HPA to 80% CPU and fills behavior when present', () => {
    const plain: Obj = applyDefaults({ kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { maxReplicas: 3, scaleTargetRef: { kind: 'Deployment', name: 'd' } } } as never);
    expect(plain.spec.minReplicas).toBe(1);
    expect(plain.spec.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }]);
    expect(plain.spec.behavior).toBeUndefined();
    const tuned: Obj = applyDefaults({ kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' }, spec: { maxReplicas: 3, behavior: { scaleDown: { stabilizationWindowSeconds: 5 } } } } as never);
    expect(tuned.spec.behavior.scaleDown.stabilizationWindowSeconds).toBe(5);
    expect(tuned.spec.behavior.scaleUp.stabilizationWindowSeconds).toBe(0);
  });

  it('defaults KubeVirt kinds', () => {
    const vm: Obj = applyDefaults({
      kind: 'VirtualMachine',
      metadata: { name: 'v' },
      spec: { template: { spec: { domain: { devices: { disks: [{ name: 'd' }] } }, volumes: [{ name: 'd', containerDisk: { image: 'img:1' } }] } } },
    } as never);
    expect(vm.apiVersion).toBe('kubevirt.io/v1');
    expect(vm.spec.runStrategy).toBe('Halted');
    const spec = vm.spec.template.spec;
    expect(spec.domain.machine).toEqual({ type: 'q35' });
    expect(spec.domain.cpu).toEqual({ cores: 1, sockets: 1, threads: 1 });
    expect(spec.domain.devices.disks[0].disk).toEqual({ bus: 'virtio' });
    expect(spec.domain.devices.interfaces).toEqual([{ name: 'default', masquerade: {} }]);
    expect(spec.networks).toEqual([{ name: 'default', pod: {} }]);
    expect(spec.volumes[0].containerDisk.imagePullPolicy).toBe('IfNotPresent');
    const running: Obj = applyDefaults({ kind: 'VirtualMachine', metadata: { name: 'v' }, spec: { running: true, template: { spec: { domain: {} } } } } as never);
    expect(running.spec.runStrategy).toBeUndefined();
  });

  it('defaults a Namespace to Active with the kubernetes finalizer', () => {
    const ns: Obj = applyDefaults({ kind: 'Namespace', metadata: { name: 'n' } } as never);
    expect(ns.spec.finalizers).toEqual(['kubernetes']);
    expect(ns.status.phase).toBe('Active');
  });
});
