import { configMapPrinter, secretPrinter } from './config';

const now = Date.parse('2026-01-01T00:10:00Z');
const meta = { name: 'x', namespace: 'default', creationTimestamp: '2026-01-01T00:00:00Z' };

describe('config printers', () => {
  it('ConfigMap: NAME DATA AGE, DATA counts data and binaryData keys', () => {
    expect(configMapPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Data', 'Age']);
    expect(configMapPrinter.row({ metadata: meta, data: { a: '1', b: '2' }, binaryData: { c: 'AA==' } } as never, now).cells).toEqual(['x', 3, '10m']);
  });

  it('Secret: NAME TYPE DATA AGE, never a value', () => {
    expect(secretPrinter.columns.map((c) => c.name)).toEqual(['Name', 'Type', 'Data', 'Age']);
    const cells = secretPrinter.row({ metadata: meta, type: 'kubernetes.io/tls', data: { 'tls.crt': 'Yw==', 'tls.key': 'aw==' } } as never, now).cells;
    expect(cells).toEqual(['x', 'kubernetes.io/tls', 2, '10m']);
  });
});
