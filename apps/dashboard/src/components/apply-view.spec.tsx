/** @jest-environment jsdom */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { installBrowserStubs, renderWithHub, stubFetch } from '../client/testing-react';
import { flush } from '../client/testing';
import { ApplyView } from './apply-view';

jest.mock('next/navigation', () => ({ useRouter: () => ({ push: jest.fn(), replace: jest.fn(), prefetch: jest.fn() }), useSearchParams: () => new URLSearchParams('kind=Deployment') }));
installBrowserStubs();

const DEPLOY_PATH = '/api/k8s/apis/apps/v1/namespaces/default/deployments/web';
const DEPLOY_LOOKUP = '/api/k8s/apis/apps/v1/namespaces/default/deployments?fieldSelector=metadata.name%3Dweb';
const list = (...items: object[]) => ({ status: 200, body: { items } });

async function renderApply(routes: Parameters<typeof stubFetch>[0]) {
  const calls = stubFetch(routes);
  renderWithHub(<ApplyView />, { '/api/v1/namespaces': { items: [{ metadata: { name: 'default' } }] } });
  await act(flush);
  return calls;
}

describe('ApplyView', () => {
  beforeEach(() => window.localStorage.clear());

  it('starts from the kind template; apply waits for a passing preview', async () => {
    await renderApply({});
    expect((screen.getByRole('textbox', { name: 'Manifest YAML' }) as HTMLTextAreaElement).value).toContain('kind: Deployment');
    expect((screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('previews a server dry run as a diff, then applies for real', async () => {
    const calls = await renderApply({
      [`GET ${DEPLOY_LOOKUP}`]: () => list(),
      [`PATCH ${DEPLOY_PATH}`]: (req) => ({ status: 200, body: { ...(req.body as object), metadata: { ...(req.body as { metadata: object }).metadata, uid: 'u1', resourceVersion: '7' } } }),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Preview changes' }));
    await screen.findByText('will be created');
    const patch = calls.find((c) => c.method === 'PATCH')!;
    expect(patch.url).toBe(`${DEPLOY_PATH}?fieldManager=coxswain-dashboard&fieldValidation=Strict&force=true&dryRun=All`);
    expect(screen.getByRole('region', { name: 'Changes to deployment.apps/web' }).textContent).toContain('+ kind: Deployment');
    const apply = screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement;
    expect(apply.disabled).toBe(false);
    fireEvent.click(apply);
    await screen.findByText('created');
    expect(calls.filter((c) => c.method === 'PATCH').at(-1)!.url).not.toContain('dryRun');
    expect(screen.getByRole('link', { name: 'Open →' }).getAttribute('href')).toBe('/r/deployments/default/web');
  });

  it('shows validation errors at the field line', async () => {
    await renderApply({
      [`GET ${DEPLOY_LOOKUP}`]: () => list(),
      [`PATCH ${DEPLOY_PATH}`]: () => ({ status: 422, body: { kind: 'Status', code: 422, reason: 'Invalid', message: 'Deployment.apps "web" is invalid', details: { causes: [{ field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' }] } } }),
    });
    fireEvent.click(screen.getByRole('button', { name: 'Preview changes' }));
    const problem = await screen.findByRole('button', { name: /line 8/ });
    expect(problem.textContent).toContain('spec.replicas: Invalid value: -1');
    expect((screen.getByRole('button', { name: 'Apply' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('YAML syntax errors block the preview and point at the line', async () => {
    await renderApply({});
    fireEvent.change(screen.getByRole('textbox', { name: 'Manifest YAML' }), { target: { value: 'kind: Pod\nmetadata: name: x\n' } });
    await waitFor(() => expect(screen.getByRole('button', { name: /line 2/ })).toBeTruthy());
    expect((screen.getByRole('button', { name: 'Preview changes' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('several documents are previewed one by one', async () => {
    await renderApply({
      'GET /api/k8s/api/v1/namespaces?fieldSelector=metadata.name%3Dteam': () => list({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { a: '1' } } }),
      'PATCH /api/k8s/api/v1/namespaces/team': () => ({ status: 200, body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team', labels: { a: '2' } } } }),
      'GET /api/k8s/api/v1/namespaces/team/pods?fieldSelector=metadata.name%3Dp': () => list({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team' } }),
      'PATCH /api/k8s/api/v1/namespaces/team/pods/p': () => ({ status: 200, body: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'team' } } }),
    });
    fireEvent.change(screen.getByRole('textbox', { name: 'Manifest YAML' }), { target: { value: 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: team\n' } });
    fireEvent.click(screen.getByRole('button', { name: 'Preview changes' }));
    await screen.findByText('will be configured');
    expect(screen.getByText('will be unchanged')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Apply 2 objects' })).toBeTruthy();
  });
});
