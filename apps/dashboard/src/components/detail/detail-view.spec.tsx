/** @jest-environment jsdom */
import { DIAGNOSIS_ANNOTATION } from '@coxswain/scheduling';
import { act, fireEvent, screen, within } from '@testing-library/react';
import { installBrowserStubs, renderWithHub, stubFetch } from '../../client/testing-react';
import { flush } from '../../client/testing';
import { DetailView } from './detail-view';

let search = new URLSearchParams();
const replace = jest.fn((url: string) => (search = new URLSearchParams(url.split('?')[1] ?? '')));
const push = jest.fn();
jest.mock('next/navigation', () => ({ useRouter: () => ({ push, replace, prefetch: jest.fn() }), useSearchParams: () => search, usePathname: () => '/r' }));
installBrowserStubs();

const node = (name: string, cpu = '2', unschedulable = false) => ({ metadata: { name, uid: `n-${name}`, labels: { 'coxswain.io/hypervisor': 'tcg' } }, spec: { unschedulable }, status: { allocatable: { cpu, memory: '4Gi', pods: '110' }, conditions: [{ type: 'Ready', status: 'True' }] } });
const bigPod = {
  metadata: { name: 'big', namespace: 'default', uid: 'big-uid', resourceVersion: '5', creationTimestamp: '2026-01-01T00:00:00Z' },
  spec: { containers: [{ name: 'main', image: 'busybox', resources: { requests: { cpu: '64', memory: '16Mi' } } }] },
  status: { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable', message: '0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable.' }] },
};

// What the scheduler writes: the message for people, the per-node diagnosis for programs.
const failedScheduling = {
  metadata: { name: 'big.1', namespace: 'default', annotations: { [DIAGNOSIS_ANNOTATION]: JSON.stringify({ nodeCount: 2, nodes: [{ node: 'node-1', plugin: 'NodeResourcesFit', reasons: ['Insufficient cpu'] }, { node: 'node-2', plugin: 'NodeUnschedulable', reasons: ['node(s) were unschedulable'] }], omitted: 0 }) } },
  involvedObject: { kind: 'Pod', name: 'big', namespace: 'default', uid: 'big-uid' },
  reason: 'FailedScheduling',
  type: 'Warning',
  message: bigPod.status.conditions[0].message,
  lastTimestamp: '2026-01-01T00:01:00Z',
  count: 1,
};

async function show(props: { plural: string; namespace: string; name: string }, lists: Record<string, { items: object[] }>) {
  const r = renderWithHub(<DetailView {...props} />, lists);
  await act(flush);
  await act(async () => r.deps.tick());
  await act(flush);
  return r;
}

describe('DetailView', () => {
  beforeEach(() => {
    search = new URLSearchParams();
    replace.mockClear();
    push.mockClear();
  });

  it('explains why a Pod is pending, per node', async () => {
    await show({ plural: 'pods', namespace: 'default', name: 'big' }, {
      '/api/v1/namespaces/default/pods': { items: [bigPod] },
      '/api/v1/pods': { items: [bigPod] },
      '/api/v1/nodes': { items: [node('node-1'), node('node-2', '2', true)] },
      '/api/v1/namespaces/default/events': { items: [failedScheduling] },
    });
    const card = screen.getByTestId('placement');
    expect(within(card).getByRole('status').textContent).toContain('0/2 nodes are available: 1 Insufficient cpu, 1 node(s) were unschedulable.');
    expect(within(card).getByText('1 × Insufficient cpu')).toBeTruthy();
    const rows = within(within(card).getByRole('table', { name: 'Per-node reasons' })).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows).toEqual(['node-1noInsufficient cpu (requests 64, free 2 of 2)', 'node-2nonode(s) were unschedulable; Insufficient cpu (requests 64, free 2 of 2)']);
    expect(screen.getAllByText('Pending').length).toBeGreaterThan(0);
  });

  it.each([
    { plural: 'pods', obj: bigPod, ns: 'default', tabs: ['Summary', 'Logs', 'Metrics', 'Conditions', 'Events', 'YAML'] },
    { plural: 'virtualmachineinstances', obj: { metadata: { name: 'tiny', namespace: 'default' }, status: { phase: 'Running', nodeName: 'node-1' } }, ns: 'default', tabs: ['Summary', 'Console', 'Metrics', 'Events', 'YAML'] },
    { plural: 'virtualmachines', obj: { metadata: { name: 'tiny', namespace: 'default' }, spec: { runStrategy: 'Always' }, status: { printableStatus: 'Running', ready: true } }, ns: 'default', tabs: ['Summary', 'Console', 'Metrics', 'Related', 'Events', 'YAML'] },
    { plural: 'deployments', obj: { metadata: { name: 'web', namespace: 'default', uid: 'd' }, spec: { replicas: 2 } }, ns: 'default', tabs: ['Summary', 'Related', 'Events', 'YAML'] },
    { plural: 'nodes', obj: node('node-1'), ns: '_', tabs: ['Summary', 'Metrics', 'Workloads', 'Conditions', 'Events', 'YAML'] },
  ])('$plural has the tabs $tabs', async ({ plural, obj, ns, tabs }) => {
    const path = plural === 'nodes' ? '/api/v1/nodes' : plural === 'pods' ? '/api/v1/namespaces/default/pods' : plural === 'deployments' ? '/apis/apps/v1/namespaces/default/deployments' : `/apis/kubevirt.io/v1/namespaces/default/${plural}`;
    await show({ plural, namespace: ns, name: (obj as { metadata: { name: string } }).metadata.name }, { [path]: { items: [obj] } });
    expect(screen.getAllByRole('tab').map((t) => t.textContent)).toEqual(tabs);
    fireEvent.keyDown(screen.getByRole('tablist'), { key: 'ArrowRight' });
    expect(replace).toHaveBeenLastCalledWith(expect.stringContaining(`?tab=${tabs[1].toLowerCase() === 'workloads' || tabs[1] === 'Related' ? 'related' : tabs[1].toLowerCase()}`), { scroll: false });
  });

  it('links a Deployment to its ReplicaSets and their Pods', async () => {
    search = new URLSearchParams('tab=related');
    const owner = (kind: string, name: string, uid: string) => [{ apiVersion: 'apps/v1', kind, name, uid, controller: true }];
    await show({ plural: 'deployments', namespace: 'default', name: 'web' }, {
      '/apis/apps/v1/namespaces/default/deployments': { items: [{ metadata: { name: 'web', namespace: 'default', uid: 'd' }, spec: { replicas: 2, selector: { matchLabels: { app: 'web' } } } }] },
      '/apis/apps/v1/namespaces/default/replicasets': { items: [
        { metadata: { name: 'web-abc', namespace: 'default', uid: 'rs1', ownerReferences: owner('Deployment', 'web', 'd') }, spec: { replicas: 2 }, status: { readyReplicas: 2 } },
        { metadata: { name: 'other', namespace: 'default', uid: 'rs2', ownerReferences: owner('Deployment', 'other', 'x') }, spec: { replicas: 1 } },
      ] },
      '/api/v1/namespaces/default/pods': { items: [
        { metadata: { name: 'web-abc-1', namespace: 'default', ownerReferences: owner('ReplicaSet', 'web-abc', 'rs1') }, spec: { nodeName: 'node-1' }, status: { phase: 'Running' } },
        { metadata: { name: 'stray', namespace: 'default', ownerReferences: owner('ReplicaSet', 'other', 'rs2') }, status: { phase: 'Running' } },
      ] },
    });
    const rs = screen.getByTestId('children-replicasets');
    expect(within(rs).getByRole('link', { name: 'web-abc' }).getAttribute('href')).toBe('/r/replicasets/default/web-abc');
    expect(within(rs).getByText('2/2 ready').className).toContain('tone-ok');
    expect(within(rs).queryByText('other')).toBeNull();
    const pods = screen.getByTestId('children-pods');
    expect(within(pods).getAllByRole('row').slice(1).map((r) => r.textContent)).toEqual([expect.stringContaining('web-abc-1Runningnode-1')]);
  });

  it('offers the port-forward command of each TCP port of a running pod, with a copy button', async () => {
    const web = { metadata: { name: 'web', namespace: 'shop', uid: 'w', resourceVersion: '3', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { nodeName: 'node-1', containers: [{ name: 'httpd', image: 'busybox', ports: [{ name: 'http', containerPort: 8080 }] }] }, status: { phase: 'Running', podIP: '10.1.0.5' } };
    const writeText = jest.fn(async () => undefined);
    Object.defineProperty(navigator, 'clipboard', { value: { writeText }, configurable: true });
    await show({ plural: 'pods', namespace: 'shop', name: 'web' }, { '/api/v1/namespaces/shop/pods': { items: [web] }, '/api/v1/namespaces/shop/events': { items: [] } });
    const list = screen.getByRole('list', { name: 'Port-forward commands' });
    expect(within(list).getByText('coxctl port-forward -n shop pod/web 8080:8080')).toBeTruthy();
    await act(async () => fireEvent.click(within(list).getByRole('button', { name: 'Copy coxctl port-forward -n shop pod/web 8080:8080' })));
    await act(flush);
    expect(writeText).toHaveBeenCalledWith('coxctl port-forward -n shop pod/web 8080:8080');
    expect(within(list).getByRole('button').textContent).toBe('Copied');
  });

  it('shows a Service: type, ClusterIP, ports, selector, its Pod and VMI endpoints with conditions, and the port-forward command', async () => {
    const svc = { metadata: { name: 'web', namespace: 'shop', uid: 's', resourceVersion: '4', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { type: 'NodePort', clusterIP: '10.96.0.42', clusterIPs: ['10.96.0.42'], selector: { app: 'web' }, ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP', nodePort: 30080 }] } };
    const slice = {
      metadata: { name: 'web-x1', namespace: 'shop', labels: { 'kubernetes.io/service-name': 'web' } },
      addressType: 'IPv4',
      ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
      endpoints: [
        { addresses: ['10.200.1.5'], conditions: { ready: true, serving: true, terminating: false }, nodeName: 'node-1', targetRef: { kind: 'Pod', name: 'web-pod', namespace: 'shop' } },
        { addresses: ['10.200.2.6'], conditions: { ready: false, serving: true, terminating: true }, nodeName: 'node-2', targetRef: { kind: 'VirtualMachineInstance', name: 'web-vm', namespace: 'shop' } },
      ],
    };
    await show({ plural: 'services', namespace: 'shop', name: 'web' }, {
      '/api/v1/namespaces/shop/services': { items: [svc] },
      '/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices': { items: [slice] },
      '/api/v1/namespaces/shop/events': { items: [] },
    });
    const details = screen.getByRole('region', { name: 'Details' });
    expect(within(details).getByText('NodePort')).toBeTruthy();
    expect(within(details).getByText('10.96.0.42')).toBeTruthy();
    expect(within(details).getByText('http 80:http/TCP → node 30080')).toBeTruthy();
    expect(within(details).getByText('coxctl port-forward -n shop svc/web :80')).toBeTruthy();
    const endpoints = screen.getByRole('region', { name: 'Endpoints' });
    expect(within(endpoints).getByText('1 ready of 2')).toBeTruthy();
    const rows = within(endpoints).getAllByRole('row').slice(1).map((r) => r.textContent);
    expect(rows).toEqual(['10.200.1.5http 8080/TCPPod/web-podnode-1readyserving', '10.200.2.6http 8080/TCPVMI/web-vmnode-2not readyservingterminating']);
    expect(within(endpoints).getByRole('link', { name: 'VMI/web-vm' }).getAttribute('href')).toBe('/r/virtualmachineinstances/shop/web-vm');
    expect(within(endpoints).getByRole('link', { name: 'Pod/web-pod' }).getAttribute('href')).toBe('/r/pods/shop/web-pod');
  });

  it('says when the object does not exist', async () => {
    await show({ plural: 'pods', namespace: 'default', name: 'ghost' }, { '/api/v1/namespaces/default/pods': { items: [] } });
    expect(screen.getByText('Pod ghost does not exist')).toBeTruthy();
  });

  it('scales through the scale subresource', async () => {
    const calls = stubFetch({ 'PATCH /api/k8s/apis/apps/v1/namespaces/default/deployments/web/scale': () => ({ status: 200, body: {} }) });
    await show({ plural: 'deployments', namespace: 'default', name: 'web' }, { '/apis/apps/v1/namespaces/default/deployments': { items: [{ metadata: { name: 'web', namespace: 'default', uid: 'd' }, spec: { replicas: 1 } }] } });
    fireEvent.click(screen.getByRole('button', { name: 'Scale' }));
    const dialog = screen.getByRole('dialog', { name: 'Scale web' });
    fireEvent.change(within(dialog).getByLabelText('Replicas'), { target: { value: '3' } });
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Scale' })));
    expect(calls).toEqual([{ method: 'PATCH', url: '/api/k8s/apis/apps/v1/namespaces/default/deployments/web/scale', body: { spec: { replicas: 3 } } }]);
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByText('deployment/web scaled to 3')).toBeTruthy();
  });

  it('cordons a node and asks for the name before deleting', async () => {
    const calls = stubFetch({ 'PATCH /api/k8s/api/v1/nodes/node-1': () => ({ status: 200, body: {} }), 'DELETE /api/k8s/api/v1/nodes/node-1': () => ({ status: 200, body: {} }) });
    await show({ plural: 'nodes', namespace: '_', name: 'node-1' }, { '/api/v1/nodes': { items: [node('node-1')] } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Cordon' })));
    expect(calls[0]).toEqual({ method: 'PATCH', url: '/api/k8s/api/v1/nodes/node-1', body: { spec: { unschedulable: true } } });
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const dialog = screen.getByRole('dialog');
    const confirm = within(dialog).getByRole('button', { name: 'Delete' }) as HTMLButtonElement;
    expect(confirm.disabled).toBe(true);
    fireEvent.change(within(dialog).getByLabelText('Type the name to confirm'), { target: { value: 'node-1' } });
    await act(async () => fireEvent.click(confirm));
    expect(calls.at(-1)).toMatchObject({ method: 'DELETE', url: '/api/k8s/api/v1/nodes/node-1' });
    expect(push).toHaveBeenCalledWith('/r/nodes');
  });

  it('suspends a CronJob, runs it now as a Job it controls, and shows a refusal from RBAC', async () => {
    const cronJob = { metadata: { name: 'nightly', namespace: 'default', uid: 'cj-uid' }, spec: { schedule: '@daily', suspend: false, jobTemplate: { spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } } };
    let forbidden = false;
    const calls = stubFetch({
      'PATCH /api/k8s/apis/batch/v1/namespaces/default/cronjobs/nightly': () => ({ status: 200, body: {} }),
      'POST /api/k8s/apis/batch/v1/namespaces/default/jobs': () => (forbidden ? { status: 403, body: { kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 403, reason: 'Forbidden', message: 'jobs.batch is forbidden: User "viewer" cannot create resource "jobs" in API group "batch" in the namespace "default"' } } : { status: 201, body: {} }),
    });
    await show({ plural: 'cronjobs', namespace: 'default', name: 'nightly' }, { '/apis/batch/v1/namespaces/default/cronjobs': { items: [cronJob] } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Suspend' })));
    expect(calls[0]).toEqual({ method: 'PATCH', url: '/api/k8s/apis/batch/v1/namespaces/default/cronjobs/nightly', body: { spec: { suspend: true } } });
    expect(screen.getByText('cronjob.batch/nightly suspended')).toBeTruthy();
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Run now' })));
    const job = calls[1].body as { metadata: { name: string; annotations: Record<string, string>; ownerReferences: unknown[] }; spec: unknown };
    expect(calls[1]).toMatchObject({ method: 'POST', url: '/api/k8s/apis/batch/v1/namespaces/default/jobs' });
    expect(job.metadata.name).toMatch(/^nightly-manual-[a-z0-9]{5}$/);
    expect(job.metadata.annotations).toEqual({ 'cronjob.kubernetes.io/instantiate': 'manual' });
    expect(job.metadata.ownerReferences).toEqual([{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cj-uid', controller: true }]);
    expect(job.spec).toEqual(cronJob.spec.jobTemplate.spec);
    expect(screen.getByText(`job.batch/${job.metadata.name} created`)).toBeTruthy();
    forbidden = true;
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Run now' })));
    expect(screen.getByText(/jobs.batch is forbidden: User "viewer" cannot create resource "jobs"/)).toBeTruthy();
  });

  it.each([
    ['daemonsets', 'agent', 'daemonset.apps/agent restarted'],
    ['statefulsets', 'db', 'statefulset.apps/db restarted'],
  ])('restarts the rollout of %s', async (plural, name, toast) => {
    const url = `/api/k8s/apis/apps/v1/namespaces/default/${plural}/${name}`;
    const calls = stubFetch({ [`PATCH ${url}`]: () => ({ status: 200, body: {} }) });
    await show({ plural, namespace: 'default', name }, { [`/apis/apps/v1/namespaces/default/${plural}`]: { items: [{ metadata: { name, namespace: 'default', uid: 'u' }, spec: { template: { spec: { containers: [] } } } }] } });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Restart' })));
    expect(calls).toEqual([{ method: 'PATCH', url, body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/) } } } } } }]);
    expect(screen.getByText(toast)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Roll back…' })).toBeNull();
  });

  it('Escape closes a dialog', async () => {
    await show({ plural: 'nodes', namespace: '_', name: 'node-1' }, { '/api/v1/nodes': { items: [node('node-1')] } });
    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    fireEvent.keyDown(screen.getByRole('dialog'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('edits YAML and shows the API validation error at the field', async () => {
    search = new URLSearchParams('tab=yaml');
    stubFetch({ 'PUT /api/k8s/apis/apps/v1/namespaces/default/deployments/web': () => ({ status: 422, body: { kind: 'Status', code: 422, message: 'invalid', details: { causes: [{ field: 'spec.replicas', message: 'Invalid value: -1' }] } } }) });
    await show({ plural: 'deployments', namespace: 'default', name: 'web' }, { '/apis/apps/v1/namespaces/default/deployments': { items: [{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'd' }, spec: { replicas: -1 } }] } });
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Save' })));
    const text = (screen.getByRole('textbox', { name: 'Edit YAML' }) as HTMLTextAreaElement).value.split('\n');
    const line = text.findIndex((l) => l.includes('replicas')) + 1;
    expect(screen.getByRole('button', { name: new RegExp(`line ${line}`) }).textContent).toContain('spec.replicas: Invalid value: -1');
  });
});
