/** @jest-environment jsdom */
import { act, screen, within } from '@testing-library/react';
import { installBrowserStubs, renderWithHub, StubEventSource } from '../client/testing-react';
import { flush } from '../client/testing';
import { Overview } from './overview';

jest.mock('next/navigation', () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn(), prefetch: jest.fn() }), usePathname: () => '/' }));
installBrowserStubs();

const node = (name: string, ready = true, unschedulable = false) => ({
  metadata: { name, labels: { 'coxswain.io/hypervisor': 'tcg' }, resourceVersion: '1' },
  spec: { unschedulable },
  status: { allocatable: { cpu: '2', memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: ready ? 'True' : 'False' }], addresses: [{ type: 'InternalIP', address: `10.0.0.${name.slice(-1)}` }] },
});
const pod = (name: string, nodeName: string | undefined, phase: string, cpu = '250m') => ({ metadata: { name, namespace: 'default', uid: name }, spec: { nodeName, containers: [{ name: 'c', resources: { requests: { cpu, memory: '64Mi' } } }] }, status: { phase } });

const LISTS = {
  '/api/v1/nodes': { items: [node('node-1'), node('node-2', true, true)] },
  '/api/v1/pods': { items: [pod('web-1', 'node-1', 'Running'), pod('web-2', 'node-1', 'Running'), pod('big', undefined, 'Pending', '64')] },
  '/apis/kubevirt.io/v1/virtualmachineinstances': { items: [{ metadata: { name: 'tiny', namespace: 'default' }, spec: { domain: { resources: { requests: { memory: '128Mi' } } } }, status: { phase: 'Running', nodeName: 'node-2' } }] },
  '/apis/kubevirt.io/v1/virtualmachines': { items: [] },
  '/apis/apps/v1/deployments': { items: [] },
  '/api/v1/events': { items: [{ metadata: { name: 'big.1', namespace: 'default' }, type: 'Warning', reason: 'FailedScheduling', message: '0/2 nodes are available: 2 Insufficient cpu.', involvedObject: { kind: 'Pod', name: 'big', namespace: 'default' }, lastTimestamp: '2026-01-01T00:00:00Z' }] },
};

async function renderOverview() {
  const r = renderWithHub(<Overview />, LISTS);
  await act(flush);
  await act(async () => r.deps.tick());
  return r;
}

describe('Overview', () => {
  it('shows node cards with status badges and requested resources', async () => {
    await renderOverview();
    const one = screen.getByRole('article', { name: 'Node node-1' });
    expect(within(one).getByText('Ready')).toBeTruthy();
    expect(within(one).getByRole('meter', { name: 'CPU requested' }).getAttribute('aria-valuenow')).toBe('25'); // 500m of 2
    expect(one.textContent).toContain('2 / 110 workloads');
    const two = screen.getByRole('article', { name: 'Node node-2' });
    expect(within(two).getByText('Cordoned')).toBeTruthy();
    expect(two.textContent).toContain('1 / 110 workloads'); // the VMI
  });

  it('counts workloads by phase and lists recent warnings', async () => {
    await renderOverview();
    const pods = screen.getByRole('region', { name: 'Pods' });
    expect(within(pods).getByText('Running 2')).toBeTruthy();
    expect(within(pods).getByText('Pending 1')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'VM instances' })).getByText('Running 1')).toBeTruthy();
    const warnings = screen.getByRole('region', { name: 'Recent warnings' });
    expect(within(warnings).getByText('FailedScheduling')).toBeTruthy();
    expect(within(warnings).getByRole('link', { name: 'pod/big' }).getAttribute('href')).toBe('/r/pods/default/big');
  });

  it('updates live from watch events and metrics samples', async () => {
    const { deps } = await renderOverview();
    const stream = deps.sources.at(-1)!;
    const nodeKey = stream.subs().find((s) => s.p === '/api/v1/nodes')!.k;
    await act(async () => {
      stream.emit(nodeKey, { type: 'MODIFIED', object: node('node-1', false) });
      deps.tick();
    });
    expect(within(screen.getByRole('article', { name: 'Node node-1' })).getByText('NotReady')).toBeTruthy();
    const metrics = StubEventSource.instances.filter((e) => e.url.includes('target=nodes')).at(-1)!;
    await act(async () => metrics.emit('nodes', { usage: { 'node-1': { cpu: 1.5, mem: 2 ** 30 } } }));
    expect(screen.getByRole('article', { name: 'Node node-1' }).textContent).toContain('1.5 used');
  });

  it('shows the empty state before any node joins', async () => {
    renderWithHub(<Overview />, { ...LISTS, '/api/v1/nodes': { items: [] } });
    await act(flush);
    expect(screen.getByText('No nodes have joined')).toBeTruthy();
  });
});
