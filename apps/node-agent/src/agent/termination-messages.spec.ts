import { Pod } from '@coxswain/api/browser';
import { NodeMemory, ObservedContainer, ObservedPod } from '../sync/model';
import { collectTerminationMessages, TerminationMessageSource } from './termination-messages';

const pod = (container: Record<string, unknown>): Pod => ({ apiVersion: 'v1', kind: 'Pod', metadata: { uid: 'u1', name: 'p', namespace: 'ns' }, spec: { containers: [{ name: 'app', image: 'busybox', ...container }] } } as Pod);
const observed = (containers: Array<Partial<ObservedContainer>>): ObservedPod[] =>
  [{ uid: 'u1', namespace: 'ns', name: 'p', sandbox: { ready: true }, containers: containers.map((c) => ({ id: 'c0', name: 'app', attempt: 0, state: 'exited', ...c }) as ObservedContainer) }];

describe('collectTerminationMessages', () => {
  const files: Record<string, string> = { 'c0:/dev/termination-log': 'from file', 'c1:/tmp/msg': '' };
  const reads: string[] = [];
  const source: TerminationMessageSource = {
    file: async (id, path) => (`${id}:${path}` in files ? Buffer.from(files[`${id}:${path}`]) : undefined),
    logTail: async (id, lines, bytes) => {
      reads.push(id);
      return `tail of ${id} (${lines} lines, ${bytes} bytes)`;
    },
  };
  beforeEach(() => { reads.length = 0; });

  it.each<[string, Record<string, unknown>, Partial<ObservedContainer>, string | undefined]>([
    ['the file at the default path', {}, { exitCode: 1 }, 'from file'],
    ['FallbackToLogsOnError, empty file, failure: 80 lines / 2048 bytes of log', { terminationMessagePath: '/tmp/msg', terminationMessagePolicy: 'FallbackToLogsOnError' }, { id: 'c1', exitCode: 2 }, 'tail of c1 (80 lines, 2048 bytes)'],
    ['FallbackToLogsOnError, exit 0: nothing', { terminationMessagePath: '/tmp/msg', terminationMessagePolicy: 'FallbackToLogsOnError' }, { id: 'c1', exitCode: 0 }, ''],
    ['File policy, no file: nothing', { terminationMessagePath: '/nope' }, { id: 'c2', exitCode: 1 }, ''],
    ['still running: not read', {}, { state: 'running' }, undefined],
  ])('%s', async (_name, container, instance, want) => {
    const memory: NodeMemory = { pods: {}, images: new Set() };
    await collectTerminationMessages([pod(container)], observed([instance]), memory, source);
    expect(memory.pods.u1?.app?.terminationMessages?.[instance.id ?? 'c0']).toBe(want);
  });

  it('reads once per instance and forgets instances no longer listed', async () => {
    const memory: NodeMemory = { pods: {}, images: new Set() };
    const spec = pod({ terminationMessagePath: '/tmp/msg', terminationMessagePolicy: 'FallbackToLogsOnError' });
    expect(await collectTerminationMessages([spec], observed([{ id: 'c1', exitCode: 1 }]), memory, source)).toBe(true);
    expect(await collectTerminationMessages([spec], observed([{ id: 'c1', exitCode: 1 }]), memory, source)).toBe(false);
    expect(reads).toEqual(['c1']);
    await collectTerminationMessages([spec], observed([{ id: 'c5', exitCode: 0 }]), memory, source);
    expect(Object.keys(memory.pods.u1.app.terminationMessages!)).toEqual(['c5']);
  });
});
