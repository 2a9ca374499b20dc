import { EventEmitter } from 'node:events';
import { Counter, Registry } from 'prom-client';
import { ipcMetrics, MetricsGather, MetricsMessage } from './metrics-relay';

const part = (value: number) => [{ name: 'apiserver_request_total', help: 'h', type: 'counter', aggregator: 'sum', values: [{ value, labels: { verb: 'GET' } }] }] as never;

describe('MetricsGather (the primary sums every live worker for one scrape)', () => {
  const setup = () => {
    const sent: Array<[number, MetricsMessage]> = [];
    const gather = new MetricsGather((w, m) => sent.push([w, m]));
    const answer = async () => {
      await new Promise((r) => setImmediate(r));
      return sent.filter(([, m]) => m.t === 'cox-metrics-res');
    };
    return { sent, gather, answer };
  };

  it('collects from every live worker, the asker included, and answers the asker with the sum', async () => {
    const { sent, gather, answer } = setup();
    gather.receive(1, { t: 'cox-metrics-req', id: 7 }, [0, 1]);
    expect(sent).toEqual([
      [0, { t: 'cox-metrics-collect', id: 1 }],
      [1, { t: 'cox-metrics-collect', id: 1 }],
    ]);
    gather.receive(0, { t: 'cox-metrics-part', id: 1, metrics: part(3) }, [0, 1]);
    expect(await answer()).toEqual([]);
    gather.receive(1, { t: 'cox-metrics-part', id: 1, metrics: part(4) }, [0, 1]);
    const [[to, res]] = await answer();
    expect(to).toBe(1);
    expect(res).toMatchObject({ t: 'cox-metrics-res', id: 7 });
    expect((res as { text: string }).text).toContain('apiserver_request_total{verb="GET"} 7');
  });

  it.each<[string, (g: MetricsGather, id: number) => void]>([
    ['a worker that died', (g) => g.gone(0)],
    ['a worker too slow to answer in time', (g, id) => g.expire(id)],
  ])('answers without %s', async (_name, leaveOut) => {
    const { gather, answer } = setup();
    const id = gather.receive(1, { t: 'cox-metrics-req', id: 2 }, [0, 1])!;
    gather.receive(1, { t: 'cox-metrics-part', id, metrics: part(4) }, [0, 1]);
    leaveOut(gather, id);
    const [[, res]] = await answer();
    expect((res as { text: string }).text).toContain('apiserver_request_total{verb="GET"} 4');
  });

  it('ignores parts for unknown scrapes and a second part from one worker', async () => {
    const { gather, answer } = setup();
    gather.receive(0, { t: 'cox-metrics-part', id: 99, metrics: part(1) }, [0, 1]);
    gather.receive(0, { t: 'cox-metrics-req', id: 1 }, [0, 1]);
    gather.receive(0, { t: 'cox-metrics-part', id: 1, metrics: part(1) }, [0, 1]);
    gather.receive(0, { t: 'cox-metrics-part', id: 1, metrics: part(1) }, [0, 1]);
    expect(await answer()).toEqual([]);
  });
});

describe('ipcMetrics (the worker side)', () => {
  const channel = () => {
    const c = new EventEmitter() as EventEmitter & { send: (m: MetricsMessage) => boolean; out: MetricsMessage[] };
    c.out = [];
    c.send = (m) => (c.out.push(m), true);
    return c;
  };
  const registryWith = (value: number) => {
    const registry = new Registry();
    new Counter({ name: 'apiserver_request_total', help: 'h', registers: [registry] }).inc(value);
    return registry;
  };

  it("answers the primary's collect with its registry and scrapes through the primary", async () => {
    const c = channel();
    const scrape = ipcMetrics(registryWith(2), c as never);
    c.emit('message', { t: 'cox-metrics-collect', id: 5 });
    await new Promise((r) => setImmediate(r));
    expect(c.out[0]).toMatchObject({ t: 'cox-metrics-part', id: 5, metrics: [{ name: 'apiserver_request_total', values: [{ value: 2 }] }] });
    const text = scrape();
    expect(c.out[1]).toEqual({ t: 'cox-metrics-req', id: 1 });
    c.emit('message', { t: 'cox-metrics-res', id: 1, text: 'summed' });
    await expect(text).resolves.toBe('summed');
  });

  it('falls back to its own figures when the primary does not answer', async () => {
    const c = channel();
    const scrape = ipcMetrics(registryWith(3), c as never, 10);
    await expect(scrape()).resolves.toContain('apiserver_request_total 3');
  });
});
