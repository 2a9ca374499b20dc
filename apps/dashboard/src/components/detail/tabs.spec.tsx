/** @jest-environment jsdom */
// Logs (streamed through the proxy), charts (history then live points) and the drain dialog.
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ReadableStream, TextDecoderStream } from 'node:stream/web';
import { TextEncoder } from 'node:util';
import { installBrowserStubs, renderWithHub, StubEventSource, stubFetch } from '../../client/testing-react';
import { flush } from '../../client/testing';
import { UsageCharts } from './charts';
import { DetailActions } from './actions';
import { LogsTab } from './logs-tab';
import { hasChildren, Related } from './related';
import { YamlTab } from './yaml-tab';
import { kindByPlural } from '../../lib/kinds';

jest.mock('next/navigation', () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn(), prefetch: jest.fn() }) }));
installBrowserStubs();
Object.assign(globalThis, { ReadableStream, TextDecoderStream, TextEncoder });

describe('LogsTab', () => {
  const pod = { metadata: { name: 'web-1', namespace: 'default', uid: 'u1' }, spec: { containers: [{ name: 'app' }, { name: 'sidecar' }] } };
  let pushChunk: (text: string) => void;
  let requests: string[];
  beforeEach(() => {
    requests = [];
    Object.assign(globalThis, {
      fetch: async (url: string) => {
        requests.push(url);
        const body = new ReadableStream<Uint8Array>({
          start(controller) {
            pushChunk = (text) => controller.enqueue(new TextEncoder().encode(text));
          },
        });
        return { ok: true, status: 200, body };
      },
    });
  });

  it('follows the log as chunks arrive', async () => {
    renderWithHub(<LogsTab pod={pod} />);
    await act(flush);
    expect(requests).toEqual(['/api/k8s/api/v1/namespaces/default/pods/web-1/log?container=sidecar&follow=true&tailLines=2000']);
    await act(async () => pushChunk('line one\n'));
    await act(async () => pushChunk('line two\n'));
    await waitFor(() => expect(screen.getByTestId('pod-logs').textContent).toBe('line one\nline two\n'));
    expect(screen.getByText('Following')).toBeTruthy();
  });

  it('switches container and reads the previous one without following', async () => {
    renderWithHub(<LogsTab pod={pod} />);
    await act(flush);
    fireEvent.change(screen.getByLabelText('Container'), { target: { value: 'app' } });
    fireEvent.click(screen.getByLabelText('Previous container'));
    await act(flush);
    expect(requests.at(-1)).toBe('/api/k8s/api/v1/namespaces/default/pods/web-1/log?container=app&previous=true&tailLines=2000');
  });

  it('shows the API error', async () => {
    stubFetch({ 'GET /api/k8s/api/v1/namespaces/default/pods/web-1/log': () => ({ status: 400, body: { kind: 'Status', code: 400, message: 'previous terminated container "app" not found' } }) });
    renderWithHub(<LogsTab pod={pod} />);
    await screen.findByText('previous terminated container "app" not found');
  });
});

describe('UsageCharts', () => {
  it('waits for two samples, then draws CPU and memory and follows new points', async () => {
    renderWithHub(<UsageCharts target="pod/default/web-1" />);
    const es = StubEventSource.instances.at(-1)!;
    expect(es.url).toBe('/api/metrics?target=pod%2Fdefault%2Fweb-1');
    await act(async () => es.emit('history', { source: 'ring buffer', intervalMs: 10_000, points: [{ t: 1000, cpu: 0.1, mem: 2 ** 20 }] }));
    expect(screen.getByText('Collecting samples…')).toBeTruthy();
    expect(screen.getByText(/every 10 s/)).toBeTruthy();
    await act(async () => es.emit('point', { t: 2000, cpu: 0.25, mem: 64 * 2 ** 20 }));
    expect(screen.getByRole('img', { name: 'CPU over the last 2 samples, now 250m' })).toBeTruthy();
    expect(screen.getByRole('img', { name: 'Memory over the last 2 samples, now 64Mi' })).toBeTruthy();
    expect(screen.getByText('Source: ring buffer')).toBeTruthy();
  });
});

describe('drain', () => {
  it('cordons, then evicts the Pods that controllers recreate', async () => {
    const calls = stubFetch({ 'PATCH /api/k8s/api/v1/nodes/node-1': () => ({ status: 200, body: {} }), 'POST /api/k8s/api/v1/namespaces/': () => ({ status: 201, body: {} }) });
    const pod = (name: string, extra = {}) => ({ metadata: { name, namespace: 'default' }, spec: { nodeName: 'node-1' }, status: { phase: 'Running' }, ...extra });
    const { deps } = renderWithHub(<DetailActions kind={kindByPlural('nodes')!} obj={{ metadata: { name: 'node-1' }, spec: {} }} />, {
      '/api/v1/pods': { items: [pod('web-1'), pod('web-2'), pod('ds-1', { metadata: { name: 'ds-1', namespace: 'default', ownerReferences: [{ kind: 'DaemonSet', name: 'ds', uid: 'x', controller: true }] } })] },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Drain…' }));
    await act(flush);
    expect(deps.lists.at(-1)).toEqual({ path: '/api/v1/pods', query: 'fieldSelector=spec.nodeName%3Dnode-1' });
    const dialog = screen.getByRole('dialog', { name: 'Drain node-1' });
    expect(within(dialog).getByText(/Kept: ds-1 \(DaemonSet-managed\)/)).toBeTruthy();
    await act(async () => fireEvent.click(within(dialog).getByRole('button', { name: 'Cordon and evict 2' })));
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'PATCH /api/k8s/api/v1/nodes/node-1',
      'POST /api/k8s/api/v1/namespaces/default/pods/web-1/eviction',
      'POST /api/k8s/api/v1/namespaces/default/pods/web-2/eviction',
    ]);
    expect(within(dialog).getByRole('log').textContent).toContain('evicting pod default/web-2');
  });
});

describe('Related', () => {
  it('lists a CronJob\'s Jobs and, through them, its Pods', async () => {
    const cron = { metadata: { name: 'tick', namespace: 'default', uid: 'cj' }, spec: { schedule: '* * * * *', jobTemplate: {} } };
    const job = { metadata: { name: 'tick-1', namespace: 'default', uid: 'j1', ownerReferences: [{ kind: 'CronJob', name: 'tick', uid: 'cj', controller: true }] }, status: { conditions: [{ type: 'Complete', status: 'True' }] } };
    const other = { metadata: { name: 'other', namespace: 'default', uid: 'j2' } };
    const pod = (name: string, owner: string) => ({ metadata: { name, namespace: 'default', ownerReferences: [{ kind: 'Job', name: 'x', uid: owner }] }, spec: {}, status: { phase: 'Succeeded' } });
    renderWithHub(<Related plural="cronjobs" obj={cron} now={Date.now()} />, {
      '/apis/batch/v1/namespaces/default/jobs': { items: [job, other] },
      '/api/v1/namespaces/default/pods': { items: [pod('tick-1-abc', 'j1'), pod('other-xyz', 'j2')] },
    });
    await act(flush);
    expect(within(screen.getByTestId('children-jobs')).getByText('tick-1')).toBeTruthy();
    expect(within(screen.getByTestId('children-jobs')).getByText('Complete')).toBeTruthy();
    expect(within(screen.getByTestId('children-pods')).getByText('tick-1-abc')).toBeTruthy();
    expect(within(screen.getByTestId('children-pods')).queryByText('other-xyz')).toBeNull();
  });

  it('lists the Pods and VMIs a PodDisruptionBudget covers (by selector, matchExpressions too)', async () => {
    const pdb = { metadata: { name: 'db', namespace: 'default', uid: 'p' }, spec: { minAvailable: 1, selector: { matchLabels: { app: 'db' }, matchExpressions: [{ key: 'tier', operator: 'NotIn', values: ['cache'] }] } } };
    const labelled = (name: string, labels: Record<string, string>) => ({ metadata: { name, namespace: 'default', labels }, spec: {}, status: { phase: 'Running' } });
    const { deps } = renderWithHub(<Related plural="poddisruptionbudgets" obj={pdb} now={Date.now()} />, {
      '/api/v1/namespaces/default/pods': { items: [labelled('db-0', { app: 'db' }), labelled('cache-0', { app: 'db', tier: 'cache' }), labelled('web-0', { app: 'web' })] },
      '/apis/kubevirt.io/v1/namespaces/default/virtualmachineinstances': { items: [labelled('db-vm', { app: 'db' }), labelled('web-vm', { app: 'web' })] },
    });
    await act(flush);
    const pods = within(screen.getByTestId('children-pods'));
    expect(pods.getByText('db-0')).toBeTruthy();
    expect(pods.queryByText('cache-0')).toBeNull();
    expect(pods.queryByText('web-0')).toBeNull();
    expect(within(screen.getByTestId('children-virtualmachineinstances')).getByText('db-vm')).toBeTruthy();
    expect(within(screen.getByTestId('children-virtualmachineinstances')).queryByText('web-vm')).toBeNull();
    // The list asks the API server for the same selector (matchExpressions included).
    expect(deps.lists.filter((l) => l.path.endsWith('/pods')).map((l) => new URLSearchParams(l.query).get('labelSelector'))).toEqual(['app=db,tier notin (cache)']);
  });

  it.each([
    ['poddisruptionbudgets', { spec: { minAvailable: 1 } }, true],
    ['daemonsets', { spec: { template: { spec: { containers: [{ name: 'a' }] } } } }, true],
    ['statefulsets', { spec: { template: { spec: { containers: [] } } } }, true],
    ['cronjobs', undefined, true],
    ['configmaps', { data: {} }, false],
    ['services', { spec: { selector: { app: 'a' } } }, false],
  ])('hasChildren(%s) is %s', (plural, obj, want) => expect(hasChildren(plural, obj)).toBe(want));
});

describe('YamlTab', () => {
  it('masks a Secret\'s values until revealed', async () => {
    const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'default' }, data: { password: 'aHVudGVyMg==' }, stringData: { token: 'plain' } };
    renderWithHub(<YamlTab plural="secrets" obj={secret} />);
    const text = () => (screen.getByLabelText('YAML') as HTMLTextAreaElement).value;
    expect(text()).toContain('password: ••••••');
    expect(text()).toContain('token: ••••••');
    expect(text()).not.toContain('aHVudGVyMg==');
    fireEvent.click(screen.getByRole('button', { name: 'Reveal values' }));
    await waitFor(() => expect(text()).toContain('aHVudGVyMg=='));
    expect(text()).toContain('token: plain');
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    expect((screen.getByLabelText('Edit YAML') as HTMLTextAreaElement).value).toContain('aHVudGVyMg==');
  });
});
