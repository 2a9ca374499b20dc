import pino, { DestinationStream, Logger } from 'pino';

/**
 * A pino JSON logger for a component, writing to stdout at LOG_LEVEL (default info).
 * `destination` is for tests.
 */
export function createLogger(name: string, options: { level?: string; destination?: DestinationStream } = {}): Logger {
  const level = options.level ?? process.env.LOG_LEVEL ?? 'info';
  return pino({ name, level }, options.destination ?? pino.destination({ dest: 1, sync: false }));
}

export type { Logger };
