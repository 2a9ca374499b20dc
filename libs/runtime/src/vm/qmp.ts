/** A minimal QMP (QEMU Machine Protocol) client over the VM's unix socket. */
import { EventEmitter } from 'node:events';
import { createConnection, Socket } from 'node:net';

export type QmpMessage =
  | { kind: 'greeting'; version: unknown }
  | { kind: 'return'; id?: string; value: unknown }
  | { kind: 'error'; id?: string; errorClass: string; desc: string }
  | { kind: 'event'; event: string; data: Record<string, unknown> };

/** Pure: one JSON line from QEMU → a typed message (undefined for anything unrecognised). */
export function classifyQmp(line: string): QmpMessage | undefined {
  let msg: Record<string, unknown>;
  try {
    msg = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!msg || typeof msg !== 'object') return undefined;
  const id = typeof msg.id === 'string' ? msg.id : undefined;
  if ('QMP' in msg) return { kind: 'greeting', version: (msg.QMP as { version?: unknown })?.version };
  if ('return' in msg) return { kind: 'return', id, value: msg.return };
  if ('error' in msg) {
    const err = msg.error as { class?: string; desc?: string };
    return { kind: 'error', id, errorClass: err?.class ?? 'GenericError', desc: err?.desc ?? '' };
  }
  if (typeof msg.event === 'string') return { kind: 'event', event: msg.event, data: (msg.data as Record<string, unknown>) ?? {} };
  return undefined;
}

/** Pure: splits a byte stream into complete lines, keeping the partial tail. */
export class LineSplitter {
  private tail = '';
  push(chunk: string): string[] {
    const parts = (this.tail + chunk).split('\n');
    this.tail = parts.pop() ?? '';
    return parts.map((l) => l.trim()).filter(Boolean);
  }
}

export class QmpError extends Error {
  constructor(readonly command: string, readonly errorClass: string, desc: string) {
    super(`QMP ${command}: ${errorClass}: ${desc}`);
  }
}

/**
 * One negotiated QMP session. QEMU serves one monitor client at a time, so sessions are short:
 * connect, run a few commands (or wait for an event), close.
 */
export class QmpSession extends EventEmitter {
  private nextId = 1;
  private pending = new Map<string, { command: string; resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private closedError?: Error;

  private constructor(private readonly socket: Socket) {
    super();
  }

  static async connect(path: string, timeoutMs = 5000): Promise<QmpSession> {
    const socket = createConnection(path);
    const session = new QmpSession(socket);
    const splitter = new LineSplitter();
    const greeted = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`QMP ${path}: no greeting within ${timeoutMs} ms`)), timeoutMs);
      session.once('greeting', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    socket.on('data', (chunk) => {
      for (const line of splitter.push(chunk.toString())) session.dispatch(classifyQmp(line));
    });
    socket.on('error', () => undefined); // surfaced through 'close' and pending rejections
    socket.on('close', () => session.fail(new Error(`QMP ${path}: connection closed`)));
    try {
      await greeted;
      await session.execute('qmp_capabilities');
    } catch (error) {
      socket.destroy();
      throw error;
    }
    return session;
  }

  execute<T = unknown>(command: string, args?: Record<string, unknown>): Promise<T> {
    if (this.closedError) return Promise.reject(this.closedError);
    const id = String(this.nextId++);
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { command, resolve: resolve as (v: unknown) => void, reject });
      this.socket.write(`${JSON.stringify({ execute: command, ...(args ? { arguments: args } : {}), id })}\n`);
    });
  }

  /** Resolves with the event's data when QEMU emits `name`, or undefined when the session ends. */
  waitForEvent(name: string): Promise<Record<string, unknown> | undefined> {
    return new Promise((resolve) => {
      const onEvent = (event: string, data: Record<string, unknown>) => {
        if (event !== name) return;
        this.off('event', onEvent);
        this.off('closed', onClose);
        resolve(data);
      };
      const onClose = () => {
        this.off('event', onEvent);
        resolve(undefined);
      };
      this.on('event', onEvent);
      this.once('closed', onClose);
      if (this.closedError) onClose();
    });
  }

  close(): void {
    this.socket.destroy();
  }

  private dispatch(msg: QmpMessage | undefined): void {
    if (!msg) return;
    if (msg.kind === 'greeting') this.emit('greeting');
    else if (msg.kind === 'event') this.emit('event', msg.event, msg.data);
    else if (msg.id && this.pending.has(msg.id)) {
      const waiter = this.pending.get(msg.id)!;
      this.pending.delete(msg.id);
      if (msg.kind === 'return') waiter.resolve(msg.value);
      else waiter.reject(new QmpError(waiter.command, msg.errorClass, msg.desc));
    }
  }

  private fail(error: Error): void {
    if (this.closedError) return;
    this.closedError = error;
    for (const waiter of this.pending.values()) waiter.reject(error);
    this.pending.clear();
    this.emit('closed');
  }
}
