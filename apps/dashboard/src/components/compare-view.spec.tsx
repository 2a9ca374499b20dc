/** @jest-environment jsdom */
import { act, screen, within } from '@testing-library/react';
import { installBrowserStubs, renderWithHub, StubEventSource } from '../client/testing-react';
import { flush } from '../client/testing';
import { CompareView } from './compare-view';

jest.mock('next/navigation', () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn(), prefetch: jest.fn() }), usePathname: () => '/compare' }));
installBrowserStubs();

const T0 = '2026-12-05T10:00:00Z';
const node = (name: string) => ({ metadata: { name, resourceVersion: '1' }, status: {} });
const pod = (name: string, phase: string) => ({
  metadata: { name, namespace: 'default', uid: name, creationTimestamp: T0 },
  spec: { nodeName: 'node-1', containers: [{ name: 'c' }] },
  status: { phase, containerStatuses: phase === 'Running' ? [{ name: 'c', state: { running: { startedAt: '2026-12-05T10:00:01Z' } } }] : [] },
});
const vmi = { metadata: { name: 'tiny', namespace: 'default', creationTimestamp: T0 }, spec: { domain: { resources: { requests: { memory: '128Mi' } } } }, status: { phase: 'Running', nodeName: 'node-2', phaseTransitionTimestamps: [{ phase: 'Running', phaseTransitionTimestamp: '2026-12-05T10:00:09Z' }] } };

async function renderCompare(lists: Record<string, { items: unknown[] }>) {
  StubEventSource.instances = [];
  const r = renderWithHub(<CompareView />, { '/api/v1/nodes': { items: [node('node-1'), node('node-2')] }, ...lists });
  await act(flush);
  await act(async () => r.deps.tick());
  return r;
}

const feed = () => StubEventSource.instances.find((e) => e.url === '/api/compare')!;

describe('CompareView', () => {
  it('says what to run when nothing runs', async () => {
    await renderCompare({ '/api/v1/pods': { items: [pod('wait', 'Pending')] }, '/apis/kubevirt.io/v1/virtualmachineinstances': { items: [] } });
    expect(screen.getByText('No container start measured yet')).toBeTruthy();
    expect(screen.getByText('No VM start measured yet')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Memory per workload' })).getByText('Nothing running')).toBeTruthy();
    expect(screen.getByRole('listitem', { name: 'node-1: 0 containers, 0 VMs' })).toBeTruthy();
  });

  it('draws both kinds from the objects and the live usage', async () => {
    await renderCompare({ '/api/v1/pods': { items: [pod('web', 'Running')] }, '/apis/kubevirt.io/v1/virtualmachineinstances': { items: [vmi] } });
    const container = screen.getByRole('region', { name: 'Containers start time' });
    expect(container.querySelector('[data-figure=p50]')!.textContent).toBe('1 s');
    expect(within(container).getByText('object timestamps (1 s resolution)')).toBeTruthy();
    expect(screen.getByRole('region', { name: 'VMs start time' }).querySelector('[data-figure=p50]')!.textContent).toBe('9 s');
    // Before the first sample: guest RAM is known, usage is not.
    expect(screen.getByRole('listitem', { name: 'VM: guest RAM: 128Mi' })).toBeTruthy();
    expect(screen.getByRole('listitem', { name: 'VM: QEMU working set: no sample yet' })).toBeTruthy();
    act(() => feed().emit('compare', { source: 'metrics api', usage: { 'default/web': { cpu: 0.002, mem: 3 * 2 ** 20 }, 'default/tiny': { cpu: 0.25, mem: 150 * 2 ** 20 } } }));
    expect(screen.getByRole('listitem', { name: 'Container: working set: 3Mi' })).toBeTruthy();
    expect(screen.getByRole('listitem', { name: 'VM: QEMU working set: 150Mi' })).toBeTruthy();
    expect(screen.getByRole('listitem', { name: 'VM (whole QEMU process): 250m' })).toBeTruthy();
    expect(screen.getByRole('listitem', { name: 'node-1: 1 container, 0 VMs' })).toBeTruthy();
    expect(screen.getByRole('listitem', { name: 'node-2: 0 containers, 1 VM' })).toBeTruthy();
    expect(screen.queryByText(/QEMU beyond guest RAM/)).toBeNull(); // only with Prometheus
  });

  it('takes start times and overheads from Prometheus when the feed has them', async () => {
    await renderCompare({ '/api/v1/pods': { items: [pod('web', 'Running')] }, '/apis/kubevirt.io/v1/virtualmachineinstances': { items: [vmi] } });
    act(() =>
      feed().emit('compare', {
        source: 'prometheus',
        usage: {},
        prometheus: { startBuckets: { container: [{ le: 0.1, count: 2 }, { le: Infinity, count: 2 }], vm: [] }, overhead: { 'default/tiny': 24 * 2 ** 20, 'default/web': 512 * 1024 } },
      }),
    );
    const container = screen.getByRole('region', { name: 'Containers start time' });
    expect(container.querySelector('[data-figure=p50]')!.textContent).toBe('50 ms');
    expect(within(container).getByText('agent histogram (Prometheus)')).toBeTruthy();
    expect(screen.getByRole('listitem', { name: 'VM: QEMU beyond guest RAM: 24Mi' })).toBeTruthy();
    expect(screen.getByRole('listitem', { name: 'Container: shim overhead: 512Ki' })).toBeTruthy();
  });
});
