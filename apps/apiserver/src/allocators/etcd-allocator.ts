// Allocation state in etcd: one key per allocated value (`<prefix><value>`), created with a
// compare-and-swap on "key absent". Every API server process shares it, so two creates can
// never get the same value; no single hot object serialises all Service writes (Kubernetes'
// bitmap object does, retrying on every concurrent allocation).
import { randomInt } from 'node:crypto';
import { Etcd3 } from 'etcd3';
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
    private readonly client: Etcd3,
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
    const result = await this.client.if(key, 'Create', '==', 0).then(this.client.put(key).value(JSON.stringify(owner))).commit();
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

  /** Gives a value back, only if `uid` still holds it ('' matches a record that does not parse). */
  async release(value: string, uid: string): Promise<void> {
    const key = this.prefix + value;
    const response = await this.client.get(key).exec();
    const kv = response.kvs[0];
    if (!kv || (parseOwner(kv.value.toString())?.uid ?? '') !== uid) return;
    await this.client.if(key, 'Mod', '==', kv.mod_revision).then(this.client.delete().key(key)).commit();
  }

  async owner(value: string): Promise<Owner | undefined> {
    const text = await this.client.get(this.prefix + value).string();
    return text === null ? undefined : parseOwner(text);
  }

  async values(): Promise<string[]> {
    const keys = await this.client.getAll().prefix(this.prefix).keys();
    return keys.map((k) => k.slice(this.prefix.length));
  }

  async entries(): Promise<Map<string, Owner | undefined>> {
    const all = await this.client.getAll().prefix(this.prefix).strings();
    return new Map(Object.entries(all).map(([key, text]) => [key.slice(this.prefix.length), parseOwner(text)]));
  }
}

function parseOwner(text: string): Owner | undefined {
  try {
    return JSON.parse(text) as Owner;
  } catch {
    return undefined;
  }
}
