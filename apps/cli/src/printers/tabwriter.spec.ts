import { DESCRIBE_WRITER, formatColumns, TABLE_WRITER, TabWriter } from './tabwriter';

describe('TabWriter (Go text/tabwriter)', () => {
  it.each([
    ['kubectl table: widest cell + 3, at least 6, last column unpadded', TABLE_WRITER, 'NAME\tREADY\tAGE\nweb-1\t1/1\t5m\n', 'NAME    READY   AGE\nweb-1   1/1     5m\n'],
    ['min width 6 for short columns', TABLE_WRITER, 'A\tB\nx\ty\n', 'A     B\nx     y\n'],
    ['describe: padding 2, no minimum', DESCRIBE_WRITER, 'Name:\tweb\nNamespace:\tdefault\n', 'Name:       web\nNamespace:  default\n'],
    [
      'a line without tabs ends a column block',
      DESCRIBE_WRITER,
      'Name:\tweb\nContainers:\n  app:\n    Image:\tnginx\n    Port:\t80\n',
      'Name:  web\nContainers:\n  app:\n    Image:  nginx\n    Port:   80\n',
    ],
    ['wide characters count as one cell each', TABLE_WRITER, 'NAME\tX\nnäme\ty\n', 'NAME   X\nnäme   y\n'],
  ])('%s', (_name, options, input, want) => {
    const w = new TabWriter(options);
    w.write(input);
    expect(w.flush()).toBe(want);
  });

  it('remembers widths across flushes so watched rows keep their columns', () => {
    const w = new TabWriter(TABLE_WRITER);
    w.write('NAME\tSTATUS\tAGE\nlong-pod-name\tRunning\t1s\n');
    const first = w.flush();
    w.write('a\tOK\t2s\n');
    expect(first + w.flush()).toBe('NAME            STATUS    AGE\nlong-pod-name   Running   1s\na               OK        2s\n');
  });

  it('formatColumns forgets widths between calls', () => {
    expect(formatColumns([['long-long-name', 'x']]) + formatColumns([['a', 'b']])).toBe('long-long-name   x\na     b\n');
  });
});
