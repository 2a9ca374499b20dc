import { EventEmitter } from 'node:events';
import { Writable } from 'node:stream';
import { Counter, Registry } from 'prom-client';
import { serveHealthAndMetrics } from './health-server';
import { createLogger } from './logger';
import { onShutdown, ShutdownProcess } from './shutdown';

describe('createLogger', () => {
  const capture = () => {
    const lines: Array<Record<string, unknown>> = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(JSON.parse(chunk.toString()));
        done();
      },
    });
    return { lines, destination };
  };

  it.each([
    ['LOG_LEVEL=debug lets debug through', 'debug', ['debug', 'info']],
    ['LOG_LEVEL=warn drops info', 'warn', []],
    ['default level is info', undefined, ['info']],
  ])('%s', async (_name, level, wantMessages) => {
    const saved = process.env.LOG_LEVEL;
    if (level) process.env.LOG_LEVEL = level;
    else delete process.env.LOG_LEVEL;
    try {
      const { lines, destination } = capture();
      const log = createLogger('scheduler', { destination });
      log.debug('debug');
      log.info({ pod: 'a' }, 'info');
      await new Promise((r) => setImmediate(r));
      expect(lines.map((l) => l.msg)).toEqual(wantMessages);
      for (const line of lines) expect(line).toMatchObject({ name: 'scheduler' });
    } finally {
      if (saved === undefined) delete process.env.LOG_LEVEL;
      else process.env.LOG_LEVEL = saved;
    }
  });
});

describe('serveHealthAndMetrics', () => {
  it('answers /healthz, /readyz (following ready()) and /metrics from the registry', async () => {
    const registry = new Registry();
    new Counter({ name: 'scheduler_bindings_total', help: 'bindings', registers: [registry] }).inc(3);
    let ready = false;
    const server = await serveHealthAndMetrics({ port: 0, registry, ready: () => ready });
    try {
      const get = async (path: string, method = 'GET') => {
        const res = await fetch(server.url + path, { method });
        return [res.status, method === 'GET' ? await res.text() : ''] as const;
      };
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(await get('/healthz')).toEqual([200, 'ok\n']);
      expect(await get('/readyz')).toEqual([503, 'not ready\n']);
      ready = true;
      expect(await get('/readyz')).toEqual([200, 'ok\n']);
      const [code, text] = await get('/metrics');
      expect(code).toBe(200);
      expect(text).toContain('scheduler_bindings_total 3');
      expect((await get('/nope'))[0]).toBe(404);
      expect((await get('/healthz', 'POST'))[0]).toBe(405);
    } finally {
      await server.close();
    }
  });
});

describe('onShutdown', () => {
  class FakeProcess extends EventEmitter implements ShutdownProcess {
    exits: number[] = [];
    exit(code: number): void {
      this.exits.push(code);
    }
  }

  const settle = () => new Promise((r) => setImmediate(r));

  it('runs handlers last-registered first on SIGTERM, then exits 0', async () => {
    const proc = new FakeProcess();
    const order: string[] = [];
    onShutdown(() => void order.push('close db'), { proc });
    onShutdown(async () => {
      await settle();
      order.push('stop informers');
    }, { proc });
    const unregister = onShutdown(() => void order.push('never'), { proc });
    unregister();
    proc.emit('SIGTERM');
    await settle();
    await settle();
    expect(order).toEqual(['stop informers', 'close db']);
    expect(proc.exits).toEqual([0]);
  });

  it('exits 1 when a handler fails, and a second signal forces exit 1 at once', async () => {
    const proc = new FakeProcess();
    onShutdown(() => {
      throw new Error('boom');
    }, { proc });
    proc.emit('SIGINT');
    await settle();
    expect(proc.exits).toEqual([1]);

    const stuck = new FakeProcess();
    onShutdown(() => new Promise(() => undefined), { proc: stuck });
    stuck.emit('SIGTERM');
    await settle();
    expect(stuck.exits).toEqual([]);
    stuck.emit('SIGTERM');
    expect(stuck.exits).toEqual([1]);
  });
});
