// coxctl get sends one request per list page (or per named object), as kubectl does: the
// server's Table with the objects in its rows; plain JSON where the server cannot print one.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KINDS, toTable } from '@coxswain/api/browser';
import type { KubeObject } from '@coxswain/api/browser';
import { FakeApiServer, RecordedRequest } from '@coxswain/client';
import { runCli } from '../testing/cli';

const NOW = new Date('2025-06-01T12:00:00Z');
const PODS = '/api/v1/namespaces/default/pods';
const TABLE = /^application\/json;as=Table;v=v1;g=meta\.k8s\.io/;

const pod = (name: string, labels: Record<string, string> = {}, phase = 'Running') => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default', labels, creationTimestamp: '2025-06-01T11:58:00Z' },
  spec: { containers: [{ name: 'app', image: 'busybox' }] },
  status: { phase, containerStatuses: [{ name: 'app', ready: phase === 'Running', restartCount: 0, state: { running: {} } }] },
});

/** libs/api's printers, as the API server runs them. */
const printers: FakeApiServerTables = (plural, objects, options) => toTable(KINDS.find((k) => k.plural === plural)!.kind, objects as KubeObject[], { now: NOW, ...options });
type FakeApiServerTables = NonNullable<Parameters<typeof FakeApiServer.start>[0]>['tables'];

/** A server whose Pod Table has columns of its own, so the output shows whose columns were printed. */
const ownColumns: FakeApiServerTables = (_plural, objects, { includeObject, listMeta }) => ({
  kind: 'Table',
  apiVersion: 'meta.k8s.io/v1',
  metadata: listMeta ?? {},
  columnDefinitions: [
    { name: 'Name', type: 'string', format: 'name', priority: 0 },
    { name: 'Colour', type: 'string', format: '', priority: 0 },
    { name: 'Shade', type: 'string', format: '', priority: 1 },
  ],
  rows: objects.map((o) => ({ cells: [o.metadata?.name, o.metadata?.labels?.colour ?? '<none>', 'dark'], object: includeObject === 'Object' ? o : undefined })),
});

let server: FakeApiServer;
let dir: string;

async function startServer(tables?: FakeApiServerTables): Promise<void> {
  server = await FakeApiServer.start({ tables });
  writeFileSync(
    join(dir, 'config'),
    `apiVersion: v1
kind: Config
current-context: dev
clusters: [{name: fake, cluster: {server: "${server.url}"}}]
users: [{name: me, user: {token: t0k}}]
contexts: [{name: dev, context: {cluster: fake, user: me, namespace: default}}]
`,
  );
  server.put(PODS, pod('web-0', { app: 'web', colour: 'red', rank: '2' }));
  server.put(PODS, pod('web-1', { app: 'web', colour: 'blue', rank: '1' }, 'Pending'));
}

const cli = (args: string[]) => runCli(['--kubeconfig', join(dir, 'config'), ...args], { now: NOW, cwd: dir });
/** The requests for pods, discovery and the rest left aside. */
const podRequests = (): RecordedRequest[] => server.requests.filter((r) => r.path.startsWith(PODS));

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'coxctl-get-'));
});

afterEach(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

const KUBECTL_TABLE = 'NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          2m\nweb-1   0/1     Pending   0          2m\n';

describe('coxctl get against a server that prints Tables', () => {
  it('lists with one request: the Table Accept, the objects in the rows, a page size', async () => {
    await startServer(printers);
    expect(await cli(['get', 'pods'])).toEqual({ code: 0, stderr: '', stdout: KUBECTL_TABLE });
    const requests = podRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0].headers.accept).toMatch(TABLE);
    expect(requests[0].headers.accept).toMatch(/,application\/json$/);
    expect(requests[0].query.get('includeObject')).toBe('Object');
    expect(requests[0].query.get('limit')).toBe('500');
  });

  it('prints the server\'s columns, -o wide adds its priority columns, labels come from the rows\' objects', async () => {
    await startServer(ownColumns);
    expect((await cli(['get', 'pods'])).stdout).toBe('NAME    COLOUR\nweb-0   red\nweb-1   blue\n');
    expect((await cli(['get', 'pods', '-o', 'wide', '-L', 'rank'])).stdout).toBe('NAME    COLOUR   SHADE   RANK\nweb-0   red      dark    2\nweb-1   blue     dark    1\n');
    expect((await cli(['get', 'pods', '--sort-by', '{.metadata.labels.rank}'])).stdout).toBe('NAME    COLOUR\nweb-1   blue\nweb-0   red\n');
    expect(podRequests()).toHaveLength(3);
  });

  it('follows continue tokens page by page: one Table per page, one header', async () => {
    await startServer(ownColumns);
    expect((await cli(['get', 'pods', '--chunk-size=1'])).stdout).toBe('NAME    COLOUR\nweb-0   red\nweb-1   blue\n');
    const requests = podRequests();
    expect(requests.map((r) => [r.query.get('limit'), r.query.has('continue'), r.headers.accept?.split(';')[1]])).toEqual([
      ['1', false, 'as=Table'],
      ['1', true, 'as=Table'],
    ]);
  });

  it('named objects: one Table request each; a missing one is reported, the others printed', async () => {
    await startServer(ownColumns);
    const res = await cli(['get', 'pods', 'web-1', 'nope', 'web-0']);
    expect(res).toEqual({ code: 1, stdout: 'NAME    COLOUR\nweb-1   blue\nweb-0   red\n', stderr: 'Error from server (NotFound): pods "nope" not found\n' });
    expect(podRequests().map((r) => [r.path, r.headers.accept?.split(';')[1]])).toEqual([
      [`${PODS}/web-1`, 'as=Table'],
      [`${PODS}/nope`, 'as=Table'],
      [`${PODS}/web-0`, 'as=Table'],
    ]);
  });

  it('an empty list is still one request and says so', async () => {
    await startServer(printers);
    expect(await cli(['get', 'pods', '-l', 'app=none'])).toEqual({ code: 0, stdout: '', stderr: 'No resources found in default namespace.\n' });
    expect(podRequests()).toHaveLength(1);
  });

  it.each([
    ['-o yaml', ['-o', 'yaml']],
    ['-o json', ['-o', 'json']],
    ['-o name', ['-o', 'name']],
    ['--server-print=false', ['--server-print=false']],
  ])('%s lists plain JSON in one request', async (_name, flags) => {
    await startServer(ownColumns);
    const res = await cli(['get', 'pods', ...flags]);
    expect(res.code).toBe(0);
    expect(res.stdout).toContain('web-1');
    expect(res.stdout).not.toContain('COLOUR');
    const requests = podRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0].headers.accept ?? '').not.toMatch(/as=Table/);
    expect(requests[0].query.has('includeObject')).toBe(false);
  });
});

describe('coxctl get against a server that cannot print Tables', () => {
  it('uses the plain list the same request brought back, printed with the same printers', async () => {
    await startServer(undefined);
    expect(await cli(['get', 'pods'])).toEqual({ code: 0, stderr: '', stdout: KUBECTL_TABLE });
    const requests = podRequests();
    expect(requests).toHaveLength(1);
    expect(requests[0].headers.accept).toMatch(TABLE);
  });

  it('a named object too', async () => {
    await startServer(undefined);
    expect((await cli(['get', 'pod', 'web-0'])).stdout).toBe('NAME    READY   STATUS    RESTARTS   AGE\nweb-0   1/1     Running   0          2m\n');
    expect(podRequests()).toHaveLength(1);
  });
});
