import { PodTimeline } from './pod-timeline';

const pod = (name: string, nodeName?: string, phase?: string) => ({ metadata: { name }, spec: { ...(nodeName ? { nodeName } : {}) }, status: { ...(phase ? { phase } : {}) } });

describe('PodTimeline', () => {
  it('keeps the first time a pod is seen bound and the first time it is seen Running', async () => {
    const t = new PodTimeline();
    t.see({ type: 'ADDED', object: pod('a', undefined, 'Pending') }, 1);
    t.see({ type: 'MODIFIED', object: pod('a', 'n1', 'Pending') }, 5);
    t.see({ type: 'MODIFIED', object: pod('a', 'n1', 'Pending') }, 7);
    const running = t.running('a', 1000);
    t.see({ type: 'MODIFIED', object: pod('a', 'n1', 'Running') }, 20);
    t.see({ type: 'MODIFIED', object: pod('a', 'n1', 'Running') }, 30);
    await expect(running).resolves.toEqual({ bound: 5, running: 20 });
    await expect(t.running('a', 1000)).resolves.toEqual({ bound: 5, running: 20 });
  });

  it('a pod created bound and Running in one event has both times equal; other pods do not wake a waiter', async () => {
    const t = new PodTimeline();
    const a = t.running('a', 1000);
    t.see({ type: 'ADDED', object: pod('b', 'n1', 'Running') }, 3);
    t.see({ type: 'ADDED', object: pod('a', 'n1', 'Running') }, 4);
    await expect(a).resolves.toEqual({ bound: 4, running: 4 });
  });

  it('ignores deletions and bookmarks, and times out when the pod never runs', async () => {
    const t = new PodTimeline();
    t.see({ type: 'DELETED', object: pod('a', 'n1', 'Running') }, 1);
    t.see({ type: 'BOOKMARK', object: { metadata: { resourceVersion: '9' } } }, 2);
    await expect(t.running('a', 20)).rejects.toThrow('pod a not seen Running within 20 ms');
  });
});
