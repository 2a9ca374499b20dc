// The scheduler's own ceiling: the real Scheduler (queue, cache, plugins, assume, bind
// bookkeeping) fed from in-memory sources, with a client whose binds succeed at once. No
// API server or etcd in the loop, so this is what the scheduling pipeline alone can do.
import { Node, Pod, VirtualMachineInstance } from '@coxswain/api';
import { InformerHandlers } from '@coxswain/client';
import { resolveConfig } from '../../apps/scheduler/src/config/config';
import { Scheduler, Subscribable } from '../../apps/scheduler/src/scheduler';

class StaticSource<T> implements Subscribable<T> {
  handlers: InformerHandlers<T>[] = [];
  constructor(readonly items: T[]) {}
  addEventHandler(h: InformerHandlers<T>): () => void {
    this.handlers.push(h);
    for (const item of this.items) h.onAdd?.(item);
    return () => undefined;
  }
}

export async function measureInProcess(nodes: Node[], pods: Pod[], vmis: VirtualMachineInstance[]): Promise<{ decisionsPerS: number; bound: number }> {
  let bound = 0;
  const total = pods.length + vmis.length;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const client = {
    createSubresource: async () => ({}),
    get: async () => ({}),
    patch: async () => ({}),
    create: async () => ({}),
  };
  const scheduler = new Scheduler({
    client: client as never,
    config: resolveConfig({ events: { scheduled: false } }),
    onBound: () => {
      if (++bound === total) resolveDone();
    },
  });
  const controller = new AbortController();
  scheduler.attach({ nodes: new StaticSource(nodes), pods: new StaticSource([]), vmis: new StaticSource([]) });
  // Queue everything first, then time the loop from the first pop to the last bind.
  const podSource = new StaticSource(pods);
  const vmiSource = new StaticSource(vmis);
  scheduler.attach({ nodes: new StaticSource([]), pods: podSource, vmis: vmiSource });
  const started = performance.now();
  const running = scheduler.run(controller.signal);
  await done;
  const seconds = (performance.now() - started) / 1000;
  controller.abort();
  await running;
  return { decisionsPerS: total / seconds, bound };
}
