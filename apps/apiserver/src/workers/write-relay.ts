// Read-your-writes across API server workers. Each worker's watch cache answers reads once it
// has caught up with the writes this server made; with N workers "this server" is all of
// them. A worker that wrote revision R of a resource tells the others (through the primary)
// before it answers, and answers only when every live worker has noted R, so a read that
// starts after the write's response — on any worker — waits for its cache to reach R.

/** Worker → primary → every other worker, then acks back the same way. */
export type RelayMessage =
  | { t: 'cox-write'; seq: number; resource: string; revision: number; from?: number }
  | { t: 'cox-ack'; seq: number; from?: number };

export const isRelayMessage = (m: unknown): m is RelayMessage => typeof m === 'object' && m !== null && ((m as RelayMessage).t === 'cox-write' || (m as RelayMessage).t === 'cox-ack');

interface Pending {
  origin: number;
  originSeq: number;
  waiting: Set<number>;
}

/** The primary's part: fan a write out, collect acks, answer the writer. Pure bookkeeping. */
export class WriteRelay {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly send: (worker: number, message: RelayMessage) => void) {}

  /** A message from worker `from`; `live` lists the workers serving now. */
  receive(from: number, message: RelayMessage, live: number[]): void {
    if (message.t === 'cox-write') {
      const others = live.filter((w) => w !== from);
      if (others.length === 0) {
        this.send(from, { t: 'cox-ack', seq: message.seq });
        return;
      }
      const seq = ++this.seq;
      this.pending.set(seq, { origin: from, originSeq: message.seq, waiting: new Set(others) });
      for (const w of others) this.send(w, { t: 'cox-write', seq, resource: message.resource, revision: message.revision });
      return;
    }
    this.acked(message.seq, from);
  }

  /** A worker went away: nothing waits for it any more. */
  gone(worker: number): void {
    for (const seq of [...this.pending.keys()]) this.acked(seq, worker);
  }

  private acked(seq: number, worker: number): void {
    const p = this.pending.get(seq);
    if (!p || !p.waiting.delete(worker) || p.waiting.size > 0) return;
    this.pending.delete(seq);
    this.send(p.origin, { t: 'cox-ack', seq: p.originSeq });
  }
}

/** What a worker's cache uses: tell the others about a write; hear about theirs. */
export interface PeerWrites {
  /** Resolves when every other worker has noted the write (or after `timeoutMs`). */
  publish(resource: string, revision: number): Promise<void>;
  onPeerWrite(handler: (resource: string, revision: number) => void): void;
}

/** The worker's side over the cluster IPC channel (`process.send`). */
export function ipcPeerWrites(channel: Pick<NodeJS.Process, 'send' | 'on'> = process, timeoutMs = 2000): PeerWrites {
  let seq = 0;
  const waiting = new Map<number, () => void>();
  let handler: (resource: string, revision: number) => void = () => undefined;
  channel.on('message', (message: unknown) => {
    if (!isRelayMessage(message)) return;
    if (message.t === 'cox-ack') {
      waiting.get(message.seq)?.();
      return;
    }
    handler(message.resource, message.revision);
    channel.send!({ t: 'cox-ack', seq: message.seq } satisfies RelayMessage);
  });
  return {
    publish(resource, revision) {
      const id = ++seq;
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, timeoutMs);
        function done() {
          clearTimeout(timer);
          waiting.delete(id);
          resolve();
        }
        waiting.set(id, done);
        channel.send!({ t: 'cox-write', seq: id, resource, revision } satisfies RelayMessage);
      });
    },
    onPeerWrite(h) {
      handler = h;
    },
  };
}
