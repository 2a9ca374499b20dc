import { dataVolumePrinter } from './cdi';

const now = Date.parse('2026-01-01T00:10:00Z');
const meta = { name: 'disk', creationTimestamp: '2026-01-01T00:00:00Z' };

describe('DataVolume printer (kubectl get dv)', () => {
  it('has CDI\'s columns', () => {
    expect(dataVolumePrinter.columns.map((c) => c.name)).toEqual(['Name', 'Phase', 'Progress', 'Restarts', 'Age']);
  });

  it.each<[string, object | undefined, unknown[]]>([
    ['before the controller saw it', undefined, ['disk', null, null, null, '10m']],
    ['importing', { phase: 'ImportInProgress', progress: '45.20%', restartCount: 0 }, ['disk', 'ImportInProgress', '45.20%', 0, '10m']],
    ['done', { phase: 'Succeeded', progress: '100.0%', restartCount: 0 }, ['disk', 'Succeeded', '100.0%', 0, '10m']],
  ])('%s', (_name, status, cells) => {
    expect(dataVolumePrinter.row({ metadata: meta, spec: {}, status } as never, now).cells).toEqual(cells);
  });
});
