import { ContainerRecord, deriveState, Observed } from './records';

const record: ContainerRecord = {
  id: 'c1', createdAt: 1000, labels: { 'io.coxswain.pod.uid': 'u1' }, cgroupsPath: '/cox/u1/c1', logPath: '/l/c1.log', rootfs: '/r',
};
const started = { ...record, startedAt: 2000 };

describe('deriveState', () => {
  it.each<[string, Omit<Observed, 'record'> & { record?: ContainerRecord }, object]>([
    ['created, not started', { runc: { id: 'c1', pid: 42, status: 'created' }, shimAlive: true },
      { status: 'created', pid: 42, createdAt: 1000, labels: record.labels }],
    ['running', { record: started, runc: { id: 'c1', pid: 42, status: 'running' }, shimAlive: true },
      { status: 'running', pid: 42, startedAt: 2000 }],
    ['paused counts as running', { runc: { id: 'c1', pid: 42, status: 'paused' }, shimAlive: true }, { status: 'running' }],
    ['exit record wins over runc', { record: started, runc: { id: 'c1', pid: 0, status: 'stopped' }, shimAlive: false,
      exit: { exitCode: 3, signal: 0, finishedAt: '2024-01-01T00:00:01.500000000Z' } },
      { status: 'exited', exitCode: 3, oomKilled: false, finishedAt: Date.parse('2024-01-01T00:00:01.5Z'), startedAt: 2000 }],
    ['oom kill', { exit: { exitCode: 137, signal: 9, finishedAt: '2024-01-01T00:00:00Z', oomKilled: true }, shimAlive: false },
      { status: 'exited', exitCode: 137, signal: 9, oomKilled: true }],
    ['exit record survives runc delete', { exit: { exitCode: 0, finishedAt: '2024-01-01T00:00:00Z' }, shimAlive: false },
      { status: 'exited', exitCode: 0 }],
    ['stopped while the shim still writes', { runc: { id: 'c1', pid: 0, status: 'stopped' }, shimAlive: true }, { status: 'running' }],
    ['stopped, shim gone, no record: exited without code', { runc: { id: 'c1', pid: 0, status: 'stopped' }, shimAlive: false }, { status: 'exited' }],
    ['unknown to runc, no exit', { shimAlive: false }, { status: 'unknown' }],
  ])('%s', (_n, o, want) => {
    const state = deriveState({ record, ...o });
    expect(state).toMatchObject({ id: 'c1', ...want });
    if ((want as { status: string }).status === 'exited' && !('exitCode' in want)) expect(state.exitCode).toBeUndefined();
  });
});
