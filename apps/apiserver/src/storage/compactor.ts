// etcd housekeeping, as the Kubernetes API server does it: every interval, compact history up
// to the revision seen one interval earlier (so watchers can resume from anything younger),
// coordinated between API servers through a version-guarded key so only one of them compacts
// per interval; then defragment when most of the database file is free space, and report
// raised alarms (NOSPACE makes every write fail). Without this, etcd grows until its quota.
import { Etcd3 } from 'etcd3';
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

  constructor(private readonly client: Etcd3, private readonly options: CompactorOptions) {}

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
    const result = await this.client
      .if(COMPACT_REV_KEY, 'Version', '==', state.version)
      .then(this.client.put(COMPACT_REV_KEY).value(String(state.revision)))
      .else(this.client.get(COMPACT_REV_KEY))
      .commit();
    const current = Number(result.header.revision);
    if (!result.succeeded) {
      // Another API server moved the key first: follow its clock, compact next round.
      const kv = result.responses[0].response_range.kvs[0];
      return { version: Number(kv?.version ?? 0), revision: current };
    }
    if (state.revision > 0) {
      await this.client.kv.compact({ revision: state.revision, physical: true });
      this.options.observer?.compacted?.(state.revision);
      this.options.logger.info({ revision: state.revision }, 'compacted etcd history');
    }
    return { version: state.version + 1, revision: current };
  }

  private async maintain(): Promise<void> {
    const status = await this.client.maintenance.status();
    const size = Number(status.dbSize);
    const inUse = Number(status.dbSizeInUse);
    this.options.observer?.size?.(size, inUse);
    const alarms = (await this.client.maintenance.alarm({ action: 'Get' })).alarms.map((a) => a.alarm).filter((a) => a !== 'None');
    this.options.observer?.alarms?.(alarms);
    if (alarms.length) this.options.logger.error({ alarms }, 'etcd alarm raised: writes may fail until an operator disarms it');
    if (shouldDefragment(size, inUse, this.options.defragFreeRatio, this.options.defragMinBytes)) {
      await this.client.maintenance.defragment();
      this.options.observer?.defragmented?.();
      this.options.logger.info({ before: size, inUse }, 'defragmented etcd');
    }
  }
}
