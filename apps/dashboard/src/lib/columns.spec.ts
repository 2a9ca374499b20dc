import { columnsFor, hpaTargets, matchesText, nodeRoles, rowsOf, sortRows } from './columns';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const pod = (name: string, ns: string, extra: Record<string, unknown> = {}) => ({
  metadata: { name, namespace: ns, creationTimestamp: '2026-01-01T00:00:00Z', labels: { app: name.split('-')[0] } },
  spec: { nodeName: 'node-1', containers: [{ name: 'c' }] },
  status: { phase: 'Running', podIP: '10.0.0.1', containerStatuses: [{ name: 'c', ready: true, restartCount: 0, state: { running: {} } }] },
  ...extra,
});

describe('columns', () => {
  const columns = columnsFor('pods');
  const rows = rowsOf([pod('web-b', 'default'), pod('web-a', 'prod'), pod('db-1', 'default', { status: { phase: 'Pending' } })], columns, { now: NOW, plural: 'pods' });

  it('pod cells are the API server\'s Table, wide columns only when asked', () => {
    const cells = Object.fromEntries(columns.map((c, i) => [c.id, rows[0].cells[i].text]));
    expect(cells).toEqual({ name: 'web-b', namespace: 'default', ready: '1/1', status: 'Running', restarts: '0', age: '60m' });
    expect(rows[0].cells[0].href).toBe('/r/pods/default/web-b');
    const wide = columnsFor('pods', { wide: true });
    expect(wide.map((c) => c.header)).toEqual(['Name', 'Namespace', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates']);
    const wideRow = rowsOf([pod('web-b', 'default')], wide, { now: NOW, plural: 'pods' })[0];
    expect(wideRow.cells[wide.findIndex((c) => c.id === 'node')]).toMatchObject({ text: 'node-1', href: '/r/nodes/_/node-1' });
    expect(wideRow.cells[wide.findIndex((c) => c.id === 'ip')].text).toBe('10.0.0.1');
  });

  it.each([
    ['services', ['Name', 'Namespace', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age']],
    ['jobs', ['Name', 'Namespace', 'Status', 'Completions', 'Duration', 'Age']],
    ['configmaps', ['Name', 'Namespace', 'Data', 'Age']],
    ['nodes', ['Name', 'Status', 'Roles', 'Age', 'Version', 'CPU', 'Memory']],
  ])('%s lists the server\'s columns', (plural, headers) => expect(columnsFor(plural).map((c) => c.header)).toEqual(headers));

  it.each([
    { name: 'by name ascending', sort: { column: 'name', direction: 'asc' as const }, want: ['db-1', 'web-a', 'web-b'] },
    { name: 'by name descending', sort: { column: 'name', direction: 'desc' as const }, want: ['web-b', 'web-a', 'db-1'] },
    { name: 'by status, names break ties', sort: { column: 'status', direction: 'asc' as const }, want: ['db-1', 'web-a', 'web-b'] },
    { name: 'by namespace', sort: { column: 'namespace', direction: 'desc' as const }, want: ['web-a', 'db-1', 'web-b'] },
    { name: 'unknown column keeps order', sort: { column: 'nope', direction: 'asc' as const }, want: ['web-b', 'web-a', 'db-1'] },
  ])('sorts $name', ({ sort, want }) => expect(sortRows(rows, columns, sort).map((r) => r.obj.metadata.name)).toEqual(want));

  it.each([
    ['', 3],
    ['web', 2],
    ['WEB prod', 1],
    ['pending', 1],
    ['app=db', 1],
    ['Running', 2],
    ['zzz', 0],
  ])('text filter %p matches %p rows', (q, n) => expect(rows.filter((r) => matchesText(r, q as string))).toHaveLength(n as number));

  it('sorts numerically where the column is numeric', () => {
    const nodes = [{ metadata: { name: 'a' }, status: { allocatable: { cpu: '16' } } }, { metadata: { name: 'b' }, status: { allocatable: { cpu: '2' } } }];
    const cols = columnsFor('nodes');
    const sorted = sortRows(rowsOf(nodes, cols, { now: NOW, plural: 'nodes' }), cols, { column: 'cpu', direction: 'asc' });
    expect(sorted.map((r) => r.obj.metadata.name)).toEqual(['b', 'a']);
  });

  it('events sort newest first by default key', () => {
    const cols = columnsFor('events');
    const ev = (name: string, t: string) => ({ metadata: { name, namespace: 'd' }, lastTimestamp: t, involvedObject: { kind: 'Pod', name: 'p' }, type: 'Warning', reason: 'X' });
    const rows2 = rowsOf([ev('old', '2026-01-01T00:00:00Z'), ev('new', '2026-01-01T00:30:00Z')], cols, { now: NOW, plural: 'events' });
    expect(sortRows(rows2, cols, { column: 'last-seen', direction: 'asc' }).map((r) => r.obj.metadata.name)).toEqual(['new', 'old']);
    expect(rows2[0].cells[cols.findIndex((c) => c.id === 'object')]).toMatchObject({ text: 'pod/p', href: '/r/pods/d/p' });
  });
});

describe('helpers', () => {
  it('node roles from labels', () => {
    expect(nodeRoles({ metadata: { labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '' } } })).toBe('control-plane,worker');
    expect(nodeRoles({ metadata: {} })).toBe('<none>');
  });
  // The HPA printer's TARGETS, in the Kubernetes 1.30 format the API server reports (no `cpu: ` prefix).
  it.each([
    { name: 'utilization with current', hpa: { spec: { metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }] }, status: { currentMetrics: [{ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 12 } } }] } }, want: '12%/50%' },
    { name: 'unknown current', hpa: { spec: { metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 80 } } }] } }, want: '<unknown>/80%' },
    { name: 'average value', hpa: { spec: { metrics: [{ type: 'Resource', resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '100Mi' } } }] } }, want: '<unknown>/100Mi' },
    { name: 'no metrics', hpa: { spec: {} }, want: '<none>' },
  ])('hpaTargets $name', ({ hpa, want }) => expect(hpaTargets(hpa)).toBe(want));
});
