/** @jest-environment jsdom */
import { act, fireEvent, screen, within } from '@testing-library/react';
import { installBrowserStubs, renderWithHub } from '../client/testing-react';
import { flush } from '../client/testing';
import { ListView } from './list-view';

const push = jest.fn();
jest.mock('next/navigation', () => ({ useRouter: () => ({ push, replace: jest.fn(), prefetch: jest.fn() }), usePathname: () => '/r/pods' }));
installBrowserStubs();

const pod = (name: string, ns: string, phase: string) => ({ metadata: { name, namespace: ns, creationTimestamp: new Date().toISOString(), labels: { app: name.split('-')[0] } }, spec: { nodeName: 'node-1', containers: [{ name: 'c' }] }, status: { phase } });

async function renderPods() {
  const r = renderWithHub(<ListView plural="pods" />, {
    '/api/v1/pods': { items: [pod('web-1', 'default', 'Running'), pod('web-2', 'default', 'Pending'), pod('db-1', 'prod', 'Running')] },
    '/api/v1/namespaces': { items: [{ metadata: { name: 'default' } }, { metadata: { name: 'prod' } }] },
  });
  await act(flush);
  await act(async () => r.deps.tick());
  return r;
}

const rowNames = () => within(screen.getByRole('grid')).queryAllByRole('row').slice(1).map((r) => r.getAttribute('data-key'));

describe('ListView', () => {
  beforeEach(() => window.localStorage.clear());

  it('lists, sorts by name and colours status', async () => {
    await renderPods();
    expect(rowNames()).toEqual(['prod/db-1', 'default/web-1', 'default/web-2']);
    const pending = within(screen.getByRole('grid')).getByText('Pending');
    expect(pending.className).toContain('tone-progress');
    expect(screen.getByText('Live')).toBeTruthy();
  });

  it('filters by text and by namespace', async () => {
    const { deps } = await renderPods();
    fireEvent.change(screen.getByLabelText('Filter'), { target: { value: 'pending' } });
    expect(rowNames()).toEqual(['default/web-2']);
    fireEvent.change(screen.getByLabelText('Filter'), { target: { value: '' } });
    fireEvent.change(screen.getByLabelText('Namespace'), { target: { value: 'prod' } });
    await act(flush);
    expect(deps.lists.at(-1)).toEqual({ path: '/api/v1/namespaces/prod/pods', query: '' });
  });

  it('sends the label selector to the API', async () => {
    const { deps } = await renderPods();
    const input = screen.getByLabelText('Label selector');
    fireEvent.change(input, { target: { value: 'app=web' } });
    fireEvent.keyDown(input, { key: 'Enter' });
    await act(flush);
    expect(deps.lists.at(-1)).toEqual({ path: '/api/v1/pods', query: 'labelSelector=app%3Dweb' });
  });

  it('applies watch events without reloading', async () => {
    const { deps } = await renderPods();
    const stream = deps.sources.at(-1)!;
    const key = stream.subs().find((s) => s.p === '/api/v1/pods')!.k;
    await act(async () => {
      stream.emit(key, { type: 'MODIFIED', object: pod('web-2', 'default', 'Running') });
      stream.emit(key, { type: 'ADDED', object: pod('web-3', 'default', 'Pending') });
      stream.emit(key, { type: 'DELETED', object: pod('db-1', 'prod', 'Running') });
      deps.tick();
    });
    expect(rowNames()).toEqual(['default/web-1', 'default/web-2', 'default/web-3']);
    expect(within(screen.getByRole('grid')).getAllByText('Running')).toHaveLength(2);
  });

  it('Enter opens the selected object; / focuses the filter', async () => {
    await renderPods();
    const grid = screen.getByRole('grid');
    fireEvent.keyDown(grid, { key: 'ArrowDown' });
    fireEvent.keyDown(grid, { key: 'Enter' });
    expect(push).toHaveBeenCalledWith('/r/pods/default/web-1');
    fireEvent.keyDown(window, { key: '/' });
    expect(document.activeElement).toBe(screen.getByLabelText('Filter'));
  });

  it('says so when nothing exists yet', async () => {
    renderWithHub(<ListView plural="deployments" />, {});
    await act(flush);
    expect(screen.getByText('No deployments')).toBeTruthy();
  });
});
