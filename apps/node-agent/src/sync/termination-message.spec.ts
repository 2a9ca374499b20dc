import { lastBytes, terminationMessage, terminationMessagePath, wantsLogs } from './termination-message';

describe('terminationMessage (the kubelet\'s getTerminationMessage)', () => {
  const file = { terminationMessagePolicy: 'File' };
  const fallback = { terminationMessagePolicy: 'FallbackToLogsOnError' };
  it.each<[string, object, number, string | undefined, string | undefined, boolean, string]>([
    ['File: the file\'s content', file, 1, 'bye', 'log', false, 'bye'],
    ['File: an empty file gives no message, logs never read', file, 1, '', 'log', false, ''],
    ['File: no file (not readable) gives none', file, 1, undefined, 'log', false, ''],
    ['Fallback: the file wins when it has content', fallback, 1, 'bye', 'log', false, 'bye'],
    ['Fallback: empty file and a failure: the log tail', fallback, 2, '', 'last lines\n', true, 'last lines\n'],
    ['Fallback: no file and a failure: the log tail', fallback, 137, undefined, 'killed\n', true, 'killed\n'],
    ['Fallback: exit 0 never reads the log', fallback, 0, '', 'log', false, ''],
    ['default policy is File', {}, 1, '', 'log', false, ''],
  ])('%s', (_name, spec, exitCode, fileText, log, wantLogs, want) => {
    expect(wantsLogs(spec, exitCode, fileText)).toBe(wantLogs);
    expect(terminationMessage(spec, exitCode, fileText, log)).toBe(want);
  });

  it('keeps the last 4096 bytes of the file', () => {
    const text = Buffer.from(`${'a'.repeat(100)}${'b'.repeat(4096)}`);
    expect(lastBytes(text)).toBe('b'.repeat(4096));
    expect(lastBytes(Buffer.from('short'))).toBe('short');
  });

  it('defaults the path to /dev/termination-log', () => {
    expect(terminationMessagePath({})).toBe('/dev/termination-log');
    expect(terminationMessagePath({ terminationMessagePath: '/tmp/msg' })).toBe('/tmp/msg');
  });
});
