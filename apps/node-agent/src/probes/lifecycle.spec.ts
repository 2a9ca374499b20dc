import { runLifecycleHandler } from './lifecycle';

const target = (code: number, ms = 0) => ({ podIP: '127.0.0.1', ports: [], exec: async (command: string[]) => {
  calls.push(command.join(' '));
  await new Promise((r) => setTimeout(r, ms));
  return code;
} });
let calls: string[] = [];
beforeEach(() => (calls = []));

describe('runLifecycleHandler', () => {
  it.each([
    ['exec succeeding', { exec: { command: ['sleep', '1'] } }, target(0), undefined, ['sleep 1']],
    ['exec failing', { exec: { command: ['false'] } }, target(1), 'exec exited with 1', ['false']],
    ['exec outliving the deadline', { exec: { command: ['sleep', '99'] } }, target(0, 500), 'did not finish within 0.05 s', ['sleep 99']],
    ['sleep (bounded by the deadline)', { sleep: { seconds: 99 } }, target(0), undefined, []],
    ['tcpSocket', { tcpSocket: { port: 80 } }, target(0), 'tcpSocket is not supported as a lifecycle handler', []],
    ['no action', {}, target(0), 'lifecycle handler has no action', []],
  ])('%s', async (_name, handler, t, failure, execs) => {
    expect(await runLifecycleHandler(handler, t, 50)).toBe(failure);
    expect(calls).toEqual(execs);
  });

  it('httpGet against the pod: a refused port fails', async () => {
    expect(await runLifecycleHandler({ httpGet: { port: 1, path: '/quit' } }, target(0), 1000)).toMatch(/ECONNREFUSED/);
  });
});
