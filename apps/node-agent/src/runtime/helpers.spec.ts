import { VirtualMachineInstance } from '@coxswain/api';
import { allSettledOrFirstError, containerArgs, containerId, containerLogPath } from './pod-runtime';
import { macFor, tapName, vmResources } from './vm-runtime';

describe('container arguments (Kubernetes rules over the image config)', () => {
  it.each([
    [{ entrypoint: ['/ep'], cmd: ['a'] }, {}, ['/ep', 'a']],
    [{ entrypoint: ['/ep'], cmd: ['a'] }, { args: ['b'] }, ['/ep', 'b']],
    [{ entrypoint: ['/ep'], cmd: ['a'] }, { command: ['sh'] }, ['sh']],
    [{ entrypoint: ['/ep'], cmd: ['a'] }, { command: ['sh'], args: ['-c', 'x'] }, ['sh', '-c', 'x']],
    [{ cmd: ['sh'] }, {}, ['sh']],
    [{}, { args: ['x'] }, ['x']],
  ])('image %j + container %j → %j', (image, container, expected) => expect(containerArgs(image, container)).toEqual(expected));

  it('names containers and their logs like the kubelet', () => {
    expect(containerId('u-1', 'app', 2)).toBe('u-1-app-2');
    expect(containerLogPath('/var/log/pods', { namespace: 'ns', name: 'web', uid: 'u-1' }, 'app', 2)).toBe('/var/log/pods/ns_web_u-1/app/2.log');
  });
});

describe('VM helpers', () => {
  it('derives a short tap name and a stable locally administered MAC', () => {
    const uid = '2ffab661-4b77-4e00-9e62-6e1fc86d0bb4';
    expect(tapName(uid)).toBe('coxt2ffab6614b');
    expect(tapName(uid).length).toBeLessThanOrEqual(15);
    expect(macFor(uid)).toMatch(/^52:54(:[0-9a-f]{2}){4}$/);
    expect(macFor(uid)).toBe(macFor(uid));
    expect(macFor(uid)).not.toBe(macFor('other'));
  });

  const vmi = (domain: Record<string, unknown>) => ({ metadata: { name: 'v' }, spec: { domain } }) as unknown as VirtualMachineInstance;
  it.each([
    [{ cpu: { cores: 2 }, resources: { requests: { memory: '256Mi' } } }, 2, 256 * 1024 * 1024],
    [{ cpu: { cores: 2, sockets: 2, threads: 1 }, memory: { guest: '1Gi' } }, 4, 1024 ** 3],
    [{ memory: { guest: '512Mi' }, resources: { requests: { memory: '1Gi' } } }, 1, 512 * 1024 * 1024],
    [{}, 1, 128 * 1024 * 1024],
  ])('resources of %j', (domain, cpus, bytes) => expect(vmResources(vmi(domain))).toEqual({ cpus, memoryBytes: bytes }));
});

describe('allSettledOrFirstError (the sandbox steps made together)', () => {
  const after = <T>(ms: number, fn: () => T) => new Promise<T>((resolve, reject) => setTimeout(() => { try { resolve(fn()); } catch (error) { reject(error); } }, ms));

  it('gives every result in the order of the steps', async () => {
    await expect(allSettledOrFirstError([after(20, () => 'cgroup'), after(1, () => 42), Promise.resolve(undefined)] as const)).resolves.toEqual(['cgroup', 42, undefined]);
  });

  it('fails with the first failed step only once every step has finished', async () => {
    let slowDone = false;
    const outcome = allSettledOrFirstError([
      after(1, () => { throw new Error('network'); }),
      after(30, () => { slowDone = true; }),
      after(5, () => { throw new Error('namespaces'); }),
    ] as const);
    await expect(outcome).rejects.toThrow('network');
    expect(slowDone).toBe(true);
  });
});
