// etcd housekeeping, as the Kubernetes API server does it: every interval, compact history up
// to the revision seen one interval earlier (so watchers can resume from anything younger),
// coordinated between API servers through a version-guarded key so only one of them compacts
// per interval; then defragment when most of the database file is free space, and report
// raised alarms (NOSPACE makes every write fail). Without this, etcd grows until its quota.
import { EtcdKvClient } from './etcd-kv';
import { Logger } from 'pino';

export const COMPACT_REV_KEY = 'compact_rev_key';

export interface CompactorState {
  /** The version of COMPACT_REV_KEY this server last saw (Kubernetes' "compact time"). */
  version: number;
  /** The revision to compact to at the next tick (the current one at this tick). */
  revision: number;
}

export interface CompactorObserver {
  compacted(revision: number): void;
  defragmented(): void;
  size(bytes: number, inUse: number): void;
  alarms(active: string[]): void;
}

export interface CompactorOptions {
  intervalMs: number;
  logger: Logger;
  observer?: Partial<CompactorObserver>;
  /** Defragment when free pages exceed this share of the file… */
  defragFreeRatio?: number;
  /** …and the file is at least this big. */
  defragMinBytes?: number;
}

/** Whether the database file is worth defragmenting (pure, for tests). */
export function shouldDefragment(dbSize: number, dbSizeInUse: number, freeRatio = 0.5, minBytes = 64 * 1024 * 1024): boolean {
  return dbSize >= minBytes && dbSize > 0 && (dbSize - dbSizeInUse) / dbSize >= freeRatio;
}

export class Compactor {
  private state: CompactorState = { version: 0, revision: 0 };
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(private readonly client: EtcdKvClient, private readonly options: CompactorOptions) {}

  start(): void {
    if (this.options.intervalMs <= 0) return;
    this.timer = setInterval(() => {
      this.running ??= this.tick().catch((error) => this.options.logger.warn({ err: error }, 'etcd housekeeping failed')).finally(() => (this.running = undefined));
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running;
  }

  /** One round: compact (if this server won the round), then maintenance checks. */
  async tick(): Promise<void> {
    this.state = await this.compact(this.state);
    await this.maintain();
  }

  private async compact(state: CompactorState): Promise<CompactorState> {
    const result = await this.client.txn({
      compare: [{ key: COMPACT_REV_KEY, target: 'Version', result: '==', value: state.version }],
      success: [{ put: { key: COMPACT_REV_KEY, value: String(state.revision) } }],
      failure: [{ range: { key: COMPACT_REV_KEY } }],
    });
    const current = result.revision;
    if (!result.succeeded) {
      // Another API server moved the key first: follow its clock, compact next round.
      const kv = result.responses[0]?.range?.kvs[0];
      return { version: kv?.version ?? 0, revision: current };
    }
    if (state.revision > 0) {
      await this.client.compact(state.revision, true);
      this.options.observer?.compacted?.(state.revision);
      this.options.logger.info({ revision: state.revision }, 'compacted etcd history');
    }
    return { version: state.version + 1, revision: current };
  }

  private async maintain(): Promise<void> {
    const { dbSize: size, dbSizeInUse: inUse } = await this.client.status();
    this.options.observer?.size?.(size, inUse);
    const alarms = await this.client.alarms();
    this.options.observer?.alarms?.(alarms);
    if (alarms.length) this.options.logger.error({ alarms }, 'etcd alarm raised: writes may fail until an operator disarms it');
    if (shouldDefragment(size, inUse, this.options.defragFreeRatio, this.options.defragMinBytes)) {
      await this.client.defragment();
      this.options.observer?.defragmented?.();
      this.options.logger.info({ before: size, inUse }, 'defragmented etcd');
    }
  }
}
