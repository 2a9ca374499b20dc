// Golden tables for every kind coxctl prints, in each decoration kubectl offers.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifestText } from '../manifests/read';
import { expectGolden } from '../testing/golden';
import { decorateTable, tableForObjects, tableFromServer, TableOptions } from './table';
import { formatColumns } from './tabwriter';

const NOW = new Date('2025-06-01T12:00:00Z');
const objects = parseManifestText(readFileSync(join(__dirname, 'testdata/objects.yaml'), 'utf8'), 'objects.yaml');
const ofKind = (kind: string) => objects.filter((o) => o.kind === kind);

function render(kind: string, options: Partial<TableOptions> = {}): string {
  const items = ofKind(kind);
  return formatColumns(decorateTable(tableForObjects(kind, items, NOW), { now: NOW, ...options }));
}

describe('get tables (golden)', () => {
  it.each([
    ['pods', 'Pod', {}],
    ['pods-wide', 'Pod', { wide: true }],
    ['pods-all-namespaces-labels', 'Pod', { withNamespace: true, showLabels: true }],
    ['pods-label-columns-no-headers', 'Pod', { labelColumns: ['app', 'pod-template-hash'], noHeaders: true }],
    ['deployments-wide', 'Deployment', { wide: true }],
    ['replicasets-wide', 'ReplicaSet', { wide: true }],
    ['nodes-wide', 'Node', { wide: true }],
    ['namespaces', 'Namespace', {}],
    ['events', 'Event', { withNamespace: true }],
    ['events-wide', 'Event', { wide: true }],
    ['hpa', 'HorizontalPodAutoscaler', {}],
    ['virtualmachines', 'VirtualMachine', {}],
    ['virtualmachineinstances-prefixed', 'VirtualMachineInstance', { kindPrefix: 'virtualmachineinstance.kubevirt.io' }],
  ])('%s', (name, kind, options) => {
    expectGolden(__dirname, `table-${name}`, render(kind, options as Partial<TableOptions>));
  });

  it('kinds without a printer get NAME and CREATED AT, like kube-apiserver\'s default', () => {
    const table = tableForObjects('Widget', [{ metadata: { name: 'w1', creationTimestamp: '2025-06-01T11:00:00Z' } }], NOW);
    expect(formatColumns(decorateTable(table, { now: NOW }))).toBe('NAME   CREATED AT\nw1     2025-06-01T11:00:00Z\n');
  });

  it('server-side Table: priority > 0 columns only when wide, null cells empty', () => {
    const table = tableFromServer({
      columnDefinitions: [
        { name: 'Name', priority: 0 },
        { name: 'Phase', priority: 0 },
        { name: 'Node', priority: 1 },
      ],
      rows: [{ cells: ['w1', 'Ready', null], object: { metadata: { name: 'w1', labels: { a: 'b' } } } }],
    });
    expect(formatColumns(decorateTable(table, { now: NOW, showLabels: true }))).toBe('NAME   PHASE   LABELS\nw1     Ready   a=b\n');
    expect(formatColumns(decorateTable(table, { now: NOW, wide: true }))).toBe('NAME   PHASE   NODE\nw1     Ready   \n');
  });
});
