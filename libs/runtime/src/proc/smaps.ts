// Process memory from /proc/<pid>/smaps and smaps_rollup: what a runtime process costs beyond
// the workload it runs. QEMU's guest RAM is one anonymous read-write mapping of the guest's
// size (`-m`), so QEMU's resident memory outside it is the VM's runtime overhead (device
// emulation, TCG's code cache, block layer, its own heap). Parsing is pure; reading is thin.
import { readFile } from 'node:fs/promises';

export interface Mapping {
  start: number;
  end: number;
  perms: string;
  /** Backing path or pseudo-name (`[heap]`); empty for anonymous memory. */
  path: string;
  /** Fields in bytes (`Size`, `Rss`, `Pss`, …). */
  fields: Record<string, number>;
}

const HEADER = /^([0-9a-f]+)-([0-9a-f]+)\s+(\S{4})\s+\S+\s+\S+\s+\S+\s*(.*)$/;
const FIELD = /^([A-Za-z_]+):\s+(\d+)\s*kB$/;

export function parseSmaps(text: string): Mapping[] {
  const out: Mapping[] = [];
  for (const line of text.split('\n')) {
    const h = HEADER.exec(line);
    if (h) {
      out.push({ start: parseInt(h[1], 16), end: parseInt(h[2], 16), perms: h[3], path: h[4].trim(), fields: {} });
      continue;
    }
    const f = FIELD.exec(line.trim());
    if (f && out.length) out[out.length - 1].fields[f[1]] = Number(f[2]) * 1024;
  }
  return out;
}

/** smaps_rollup's totals (the header line is skipped), in bytes. */
export function parseRollup(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split('\n')) {
    const f = FIELD.exec(line.trim());
    if (f) out[f[1]] = Number(f[2]) * 1024;
  }
  return out;
}

/** QEMU may round its RAM block up to its alignment: a mapping this much bigger still counts. */
const RAM_SLACK = 4 * 1024 * 1024;

/**
 * Resident bytes of the guest's RAM: the anonymous read-write mapping of the guest's size, or
 * adjacent ones that add up to it (a mapping can be split by madvise). Undefined when none fits.
 */
export function guestRamResident(mappings: Mapping[], guestBytes: number): number | undefined {
  const anon = mappings.filter((m) => m.path === '' && m.perms.startsWith('rw'));
  const fits = (size: number) => size >= guestBytes && size <= guestBytes + RAM_SLACK;
  const single = anon.filter((m) => fits(m.end - m.start)).sort((a, b) => a.end - a.start - (b.end - b.start))[0];
  if (single) return single.fields.Rss ?? 0;
  for (let i = 0; i < anon.length; i++) {
    let rss = 0;
    for (let j = i; j < anon.length && (j === i || anon[j].start === anon[j - 1].end); j++) {
      rss += anon[j].fields.Rss ?? 0;
      const size = anon[j].end - anon[i].start;
      if (fits(size)) return rss;
      if (size > guestBytes + RAM_SLACK) break;
    }
  }
  return undefined;
}

export interface VmMemory {
  /** The guest's RAM as configured (`-m`). */
  guestBytes: number;
  /** QEMU's resident set. */
  residentBytes: number;
  /** QEMU's resident memory that does not back guest RAM. */
  overheadBytes: number;
}

/** QEMU's memory split into guest RAM and overhead; undefined when the guest's mapping is not found. */
export function vmMemory(mappings: Mapping[], rollup: Record<string, number>, guestBytes: number): VmMemory | undefined {
  const guest = guestRamResident(mappings, guestBytes);
  if (guest === undefined) return undefined;
  const residentBytes = rollup.Rss ?? mappings.reduce((s, m) => s + (m.fields.Rss ?? 0), 0);
  return { guestBytes, residentBytes, overheadBytes: Math.max(0, residentBytes - guest) };
}

export async function readVmMemory(pid: number, guestBytes: number): Promise<VmMemory | undefined> {
  const [smaps, rollup] = await Promise.all([readFile(`/proc/${pid}/smaps`, 'utf8'), readFile(`/proc/${pid}/smaps_rollup`, 'utf8')]);
  return vmMemory(parseSmaps(smaps), parseRollup(rollup), guestBytes);
}

export interface ProcessMemory {
  residentBytes: number;
  /** Proportional set size: shared pages divided among the processes sharing them. */
  proportionalBytes: number;
}

export async function readProcessMemory(pid: number): Promise<ProcessMemory> {
  const r = parseRollup(await readFile(`/proc/${pid}/smaps_rollup`, 'utf8'));
  return { residentBytes: r.Rss ?? 0, proportionalBytes: r.Pss ?? 0 };
}
