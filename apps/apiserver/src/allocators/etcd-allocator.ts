// Allocation state in etcd: one key per allocated value (`<prefix><value>`), created with a
// compare-and-swap on "key absent". Every API server process shares it, so two creates can
// never get the same value; no single hot object serialises all Service writes (Kubernetes'
// bitmap object does, retrying on every concurrent allocation).
import { randomInt } from 'node:crypto';
import { EtcdKvClient } from '../storage/etcd-kv';
import { prefixEnd } from '../storage/keys';
import { ValueRange } from './ranges';

/** Who holds a value: the Service, and when it was taken (for the leak repair). */
export interface Owner {
  namespace: string;
  name: string;
  uid: string;
  allocatedAt: string;
}

export type AllocateResult = 'allocated' | 'held' | 'taken' | 'outOfRange';

export class EtcdRangeAllocator {
  constructor(
    private readonly client: EtcdKvClient,
    readonly prefix: string,
    readonly range: ValueRange,
    /** Values never handed out by `allocateNext` (the `kubernetes` Service's IP). */
    private readonly reserved: ReadonlySet<string> = new Set(),
  ) {}

  /**
   * Takes one value. `held` when this owner already holds it (a Service using the same node
   * port for TCP and UDP), `taken` when someone else does.
   */
  async allocate(value: string, owner: Owner): Promise<AllocateResult> {
    if (this.range.offsetOf(value) === undefined) return 'outOfRange';
    const key = this.prefix + value;
    const result = await this.client.txn({ compare: [{ key, target: 'Create', result: '==', value: 0 }], success: [{ put: { key, value: JSON.stringify(owner) } }] });
    if (result.succeeded) return 'allocated';
    const current = await this.owner(value);
    return current?.uid === owner.uid ? 'held' : 'taken';
  }

  /** Takes any free value; undefined when the range is full. */
  async allocateNext(owner: Owner): Promise<string | undefined> {
    for (let round = 0; round < 4; round++) {
      const used = new Set(await this.values());
      for (const candidate of this.freeCandidates(used)) {
        if ((await this.allocate(candidate, owner)) === 'allocated') return candidate;
      }
    }
    return undefined;
  }

  /** A value that is free now, without taking it (dry runs show what a create would get). */
  async peekNext(): Promise<string | undefined> {
    for (const candidate of this.freeCandidates(new Set(await this.values()))) return candidate;
    return undefined;
  }

  /** Up to 16 free values starting from a random offset (random spread, like Kubernetes). */
  private *freeCandidates(used: ReadonlySet<string>): Generator<string> {
    const start = randomInt(this.range.size);
    let found = 0;
    for (let i = 0; i < this.range.size && found < 16; i++) {
      const value = this.range.valueAt((start + i) % this.range.size);
      if (used.has(value) || this.reserved.has(value)) continue;
      found++;
      yield value;
    }
  }

  /**
   * The repair's restore: takes the value for a Service only while that Service's own key is
   * at the revision the repair saw. A Service deleted (and its value released) after the
   * repair listed it must not get its value back: that key would hold a port for no one.
   */
  async restore(value: string, owner: Owner, holder: { key: string; revision: number }): Promise<boolean> {
    const key = this.prefix + value;
    const result = await this.client.txn({
      compare: [{ key, target: 'Create', result: '==', value: 0 }, { key: holder.key, target: 'Mod', result: '==', value: holder.revision }],
      success: [{ put: { key, value: JSON.stringify(owner) } }],
    });
    return result.succeeded;
  }

  /** Gives a value back, only if `uid` still holds it ('' matches a record that does not parse). */
  async release(value: string, uid: string): Promise<void> {
    const key = this.prefix + value;
    const kv = (await this.client.range({ key })).kvs[0];
    if (!kv || (parseOwner(kv.value.toString())?.uid ?? '') !== uid) return;
    await this.client.txn({ compare: [{ key, target: 'Mod', result: '==', value: kv.mod_revision }], success: [{ deleteRange: { key } }] });
  }

  async owner(value: string): Promise<Owner | undefined> {
    const kv = (await this.client.range({ key: this.prefix + value })).kvs[0];
    return kv ? parseOwner(kv.value.toString()) : undefined;
  }

  async values(): Promise<string[]> {
    const { kvs } = await this.client.range({ key: this.prefix, rangeEnd: prefixEnd(this.prefix), keysOnly: true });
    return kvs.map((kv) => kv.key.toString().slice(this.prefix.length));
  }

  async entries(): Promise<Map<string, Owner | undefined>> {
    const { kvs } = await this.client.range({ key: this.prefix, rangeEnd: prefixEnd(this.prefix) });
    return new Map(kvs.map((kv) => [kv.key.toString().slice(this.prefix.length), parseOwner(kv.value.toString())]));
  }
}

function parseOwner(text: string): Owner | undefined {
  try {
    return JSON.parse(text) as Owner;
  } catch {
    return undefined;
  }
}
