import type { Logger } from 'pino';

type Handler = () => void | Promise<void>;

/** The bits of `process` shutdown handling touches; tests pass a stand-in. */
export interface ShutdownProcess {
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  removeListener(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  exit(code: number): void;
}

export interface ShutdownOptions {
  /** Exit with 1 if handlers take longer than this. Default 10 s. */
  timeoutMs?: number;
  logger?: Pick<Logger, 'info' | 'error'>;
  proc?: ShutdownProcess;
}

interface ShutdownState {
  handlers: Handler[];
  proc: ShutdownProcess;
  listener: () => void;
  running: boolean;
}

const states = new WeakMap<ShutdownProcess, ShutdownState>();

/**
 * Runs `fn` on SIGTERM or SIGINT, then exits 0. Handlers run one by one, last registered
 * first (stop accepting work before closing what it needs); a second signal or the timeout
 * exits 1 at once. Returns a function that unregisters `fn`.
 */
export function onShutdown(fn: Handler, options: ShutdownOptions = {}): () => void {
  const proc = options.proc ?? (process as unknown as ShutdownProcess);
  let state = states.get(proc);
  if (!state) {
    const fresh: ShutdownState = { handlers: [], proc, running: false, listener: () => void runShutdown(fresh, options) };
    states.set(proc, (state = fresh));
    proc.once('SIGTERM', fresh.listener);
    proc.once('SIGINT', fresh.listener);
  }
  state.handlers.push(fn);
  const registered = state;
  return () => {
    registered.handlers = registered.handlers.filter((h) => h !== fn);
  };
}

async function runShutdown(state: ShutdownState, options: ShutdownOptions): Promise<void> {
  const { proc } = state;
  if (state.running) return;
  state.running = true;
  const force = () => {
    options.logger?.error({}, 'second signal or shutdown timeout; exiting now');
    proc.exit(1);
  };
  // Both signals were registered with once(); re-arm both so a second one forces the exit.
  proc.removeListener('SIGTERM', state.listener);
  proc.removeListener('SIGINT', state.listener);
  proc.once('SIGTERM', force);
  proc.once('SIGINT', force);
  const timer = setTimeout(force, options.timeoutMs ?? 10_000);
  timer.unref?.();
  options.logger?.info({}, 'shutting down');
  let code = 0;
  for (const handler of [...state.handlers].reverse()) {
    try {
      await handler();
    } catch (error) {
      code = 1;
      options.logger?.error({ err: error }, 'shutdown handler failed');
    }
  }
  clearTimeout(timer);
  proc.exit(code);
}
