// SPDY header blocks share one zlib context per direction for the whole connection (each block
// ends with a sync flush), so they are compressed and inflated through long-lived streams.
import { constants, createDeflate, createInflate, Deflate, Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './dictionary';

class SyncFlushed {
  private out: Buffer[] = [];
  private failure?: Error;
  private rejectPending?: (e: Error) => void;

  constructor(private readonly z: Inflate | Deflate) {
    z.on('data', (d: Buffer) => this.out.push(d));
    // A corrupt block fails the stream without calling the flush callback.
    z.on('error', (e: Error) => {
      this.failure = e;
      this.rejectPending?.(e);
    });
  }

  process(input: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.rejectPending = reject;
      this.z.write(input);
      this.z.flush(constants.Z_SYNC_FLUSH, () =>
        setImmediate(() => {
          if (this.failure) return reject(this.failure);
          resolve(Buffer.concat(this.out.splice(0)));
        }),
      );
    });
  }

  close(): void {
    this.z.destroy();
  }
}

export class HeaderCodec {
  private readonly inflater = new SyncFlushed(createInflate({ dictionary: SPDY3_DICTIONARY }));
  private readonly deflater = new SyncFlushed(createDeflate({ dictionary: SPDY3_DICTIONARY }));
  private queue: Promise<unknown> = Promise.resolve();

  /** Runs zlib work in order: both contexts are order-sensitive. */
  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  inflate = (block: Buffer) => this.serial(() => this.inflater.process(block));
  deflate = (block: Buffer) => this.serial(() => this.deflater.process(block));

  close(): void {
    this.inflater.close();
    this.deflater.close();
  }
}
