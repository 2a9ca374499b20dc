// Host-local IP address management: one file per allocated address, named by the address
// and holding its owner. Creating the file with link(2) is atomic and fails if it exists,
// so concurrent allocators (threads or processes) can never hand out an address twice, and
// the allocations survive restarts.
import { randomBytes } from 'node:crypto';
import { link, mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../images/content-store';
import { SharedRead } from '../proc/shared-read';
import { candidateIps, gatewayOf, Ipv4Cidr, parseCidr } from './cidr';

export interface IpAllocation {
  ip: string;
  prefixLength: number;
  gateway: string;
}

/** What the pod network and the VM driver need from address management. */
export interface IpAllocator {
  /** The owner's address; the same one again if it already has one. */
  allocate(owner: string): Promise<IpAllocation>;
  /** Frees the owner's address; a no-op if it has none. */
  release(owner: string): Promise<void>;
}

export class IpamExhaustedError extends Error {
  constructor(cidr: string) {
    super(`no free address left in ${cidr}`);
    this.name = 'IpamExhaustedError';
  }
}

const IP_FILE = /^\d+\.\d+\.\d+\.\d+$/;
const LAST = 'last_reserved_ip';

export class FileIpam implements IpAllocator {
  private readonly cidr: Ipv4Cidr;
  private readonly gateway: string;
  // Serialises calls per owner inside this process so one owner never gets two addresses.
  private readonly perOwner = new Map<string, Promise<unknown>>();
  private readonly table = new SharedRead<ReadonlyMap<string, string>>(() => this.readTable());
  /**
   * Owner → the address this instance last saw it hold. Only a hint: a release checks that
   * address's file still names the owner and reads the whole table otherwise. Spared reading
   * the table per release: a node removing 500 pods over half a minute read 500 files each time.
   */
  private readonly hints = new Map<string, string>();
  /**
   * Set once this instance has read the whole table: from then on an owner without a hint has
   * no address, since an owner's addresses come from its own allocator (the agent's, for its
   * pods) and this one records each it hands out. New pods then skip reading every other
   * pod's file (110 pods starting at once read the table over and over).
   */
  private tableKnown = false;

  constructor(readonly dir: string, readonly cidrText: string) {
    this.cidr = parseCidr(cidrText);
    this.gateway = gatewayOf(this.cidr);
  }

  private serial<T>(owner: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.perOwner.get(owner) ?? Promise.resolve();
    const next = prev.then(fn, fn);
    const tail = next.catch(() => undefined);
    this.perOwner.set(owner, tail);
    void tail.then(() => {
      if (this.perOwner.get(owner) === tail) this.perOwner.delete(owner);
    });
    return next;
  }

  private result(ip: string): IpAllocation {
    return { ip, prefixLength: this.cidr.prefixLength, gateway: this.gateway };
  }

  /**
   * Address → owner for every allocation on disk, as of a read that began after the call.
   * Concurrent callers share one read (SharedRead): every release looks its owner up in the
   * whole table, and a node removing 300 pods at once read 300 × 300 files at once (10,000
   * open files, most of the agent's heap).
   */
  list(): Promise<ReadonlyMap<string, string>> {
    return this.table.get();
  }

  private async readTable(): Promise<Map<string, string>> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out = new Map<string, string>();
    await Promise.all(names.filter((n) => IP_FILE.test(n)).map(async (ip) => {
      const owner = await readFile(join(this.dir, ip), 'utf8').catch(() => undefined);
      if (owner !== undefined) out.set(ip, owner.trim());
    }));
    // Added to the hints, not replacing them: an allocation made while this read ran keeps its
    // hint (allocate relies on it). Hints do not outgrow the table: release removes them, and
    // one that no longer holds is checked against the file before it is used.
    for (const [ip, owner] of out) this.hints.set(owner, ip);
    this.tableKnown = true;
    return out;
  }

  async lookup(owner: string): Promise<string | undefined> {
    for (const [ip, o] of await this.list()) if (o === owner) return ip;
    return undefined;
  }

  /** The owner's address on disk: its hint checked against the file, else the whole table unless it is known. */
  private async existing(owner: string): Promise<string | undefined> {
    const hinted = this.hints.get(owner);
    if (hinted !== undefined && (await readFile(join(this.dir, hinted), 'utf8').catch(() => '')).trim() === owner) return hinted;
    if (hinted === undefined && this.tableKnown) return undefined;
    return this.lookup(owner);
  }

  allocate(owner: string): Promise<IpAllocation> {
    if (!owner || /[\n/]/.test(owner)) throw new Error(`invalid IPAM owner ${JSON.stringify(owner)}`);
    return this.serial(owner, async () => {
      const existing = await this.existing(owner);
      if (existing) {
        this.hints.set(owner, existing);
        return this.result(existing);
      }
      await mkdir(this.dir, { recursive: true });
      const last = (await readFile(join(this.dir, LAST), 'utf8').catch(() => '')).trim();
      const tmp = join(this.dir, `.tmp-${randomBytes(6).toString('hex')}`);
      await writeFile(tmp, `${owner}\n`);
      try {
        for (const ip of candidateIps(this.cidr, last || undefined)) {
          try {
            await link(tmp, join(this.dir, ip));
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'EEXIST') continue;
            throw err;
          }
          await this.writeLast(ip);
          this.hints.set(owner, ip);
          return this.result(ip);
        }
        throw new IpamExhaustedError(this.cidrText);
      } finally {
        await unlink(tmp).catch(() => undefined);
      }
    });
  }

  /**
   * Where the next allocation starts, replaced whole (a new file renamed over it): allocations
   * of different owners run at once, and two plain writes interleaved into "10.207.1.980".
   */
  private async writeLast(ip: string): Promise<void> {
    await writeFileAtomic(join(this.dir, LAST), ip).catch(() => undefined); // only a hint: a lost update costs nothing
  }

  release(owner: string): Promise<void> {
    return this.serial(owner, async () => {
      const hinted = this.hints.get(owner);
      this.hints.delete(owner);
      if (hinted !== undefined) {
        const holder = await readFile(join(this.dir, hinted), 'utf8').catch(() => undefined);
        if (holder?.trim() === owner) {
          await unlink(join(this.dir, hinted)).catch(() => undefined);
          return;
        }
      }
      for (const [ip, o] of await this.list()) {
        if (o === owner) await unlink(join(this.dir, ip)).catch(() => undefined);
      }
      this.hints.delete(owner);
    });
  }
}
