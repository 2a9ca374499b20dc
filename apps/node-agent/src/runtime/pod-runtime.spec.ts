import { Pod } from '@coxswain/api';
import { RuncPodRuntimeOptions, RuncPodRuntime } from './pod-runtime';

describe('RuncPodRuntime hostPort guard', () => {
  const pod = (hostPort: number) => ({
    metadata: { uid: 'u1', name: 'p', namespace: 'ns' },
    spec: { containers: [{ name: 'c', image: 'busybox', ports: [{ containerPort: 80, hostPort }] }] },
  }) as unknown as Pod;
  const view = { metadata: { uid: 'u1', name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'c', image: 'busybox' }] } };

  it('refuses a hostPort the agent listens on before touching the node', async () => {
    const touched: string[] = [];
    const network = new Proxy({}, { get: (_t, name) => () => { touched.push(String(name)); throw new Error('network used'); } });
    const runtime = new RuncPodRuntime({
      root: '/nonexistent/cox-test', logRoot: '/nonexistent/logs', images: {} as never, containers: {} as never, network: network as never,
      podFor: () => pod(12345), reservedHostPorts: [12345, 12346],
    } as RuncPodRuntimeOptions);
    await expect(runtime.createSandbox(view)).rejects.toThrow('hostPort 12345 is reserved: the node agent listens on it');
    expect(touched).toEqual([]);
  });
});
