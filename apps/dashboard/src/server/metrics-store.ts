// A small ring buffer per series (node, pod or VMI): CPU cores and memory bytes over time,
// so charts have history without Prometheus. Fixed memory per series; series that stop
// reporting are dropped.
import { parseQuantity } from '../lib/quantity';

export interface Point {
  t: number;
  cpu: number;
  mem: number;
}

export class Ring {
  private readonly t: Float64Array;
  private readonly cpu: Float32Array;
  private readonly mem: Float32Array;
  private start = 0;
  length = 0;

  constructor(readonly capacity: number) {
    this.t = new Float64Array(capacity);
    this.cpu = new Float32Array(capacity);
    this.mem = new Float32Array(capacity);
  }

  push(p: Point): void {
    const at = (this.start + this.length) % this.capacity;
    this.t[at] = p.t;
    this.cpu[at] = p.cpu;
    this.mem[at] = p.mem;
    if (this.length < this.capacity) this.length++;
    else this.start = (this.start + 1) % this.capacity;
  }

  points(): Point[] {
    const out: Point[] = [];
    for (let i = 0; i < this.length; i++) {
      const at = (this.start + i) % this.capacity;
      out.push({ t: this.t[at], cpu: this.cpu[at], mem: this.mem[at] });
    }
    return out;
  }

  last(): Point | undefined {
    if (!this.length) return undefined;
    const at = (this.start + this.length - 1) % this.capacity;
    return { t: this.t[at], cpu: this.cpu[at], mem: this.mem[at] };
  }
}

export interface MetricsList {
  items?: Array<{ metadata?: { name?: string; namespace?: string }; usage?: { cpu?: string; memory?: string }; containers?: Array<{ usage?: { cpu?: string; memory?: string } }> }>;
}

const num = (q: string | undefined) => {
  const n = parseQuantity(q);
  return Number.isFinite(n) ? n : 0;
};

/** metrics.k8s.io lists → `node/<name>` and `pod/<ns>/<name>` usage (VMIs are listed as pods). */
export function usageOf(nodes: MetricsList, pods: MetricsList): Map<string, { cpu: number; mem: number }> {
  const out = new Map<string, { cpu: number; mem: number }>();
  for (const n of nodes.items ?? []) out.set(`node/${n.metadata?.name}`, { cpu: num(n.usage?.cpu), mem: num(n.usage?.memory) });
  for (const p of pods.items ?? []) {
    const containers = p.containers ?? [];
    out.set(`pod/${p.metadata?.namespace}/${p.metadata?.name}`, {
      cpu: containers.reduce((s, c) => s + num(c.usage?.cpu), 0),
      mem: containers.reduce((s, c) => s + num(c.usage?.memory), 0),
    });
  }
  return out;
}

export class MetricsStore {
  private readonly series = new Map<string, Ring>();
  latestAt = 0;

  constructor(readonly capacity: number, private readonly dropAfterMissed = 6) {}

  /** Records one sample of every series; series absent for several samples go away. */
  record(t: number, usage: Map<string, { cpu: number; mem: number }>): void {
    for (const [key, u] of usage) {
      let ring = this.series.get(key);
      if (!ring) this.series.set(key, (ring = new Ring(this.capacity)));
      ring.push({ t, cpu: u.cpu, mem: u.mem });
    }
    const interval = this.latestAt ? t - this.latestAt : 0;
    this.latestAt = t;
    if (interval > 0) {
      for (const [key, ring] of this.series) {
        const last = ring.last();
        if (last && t - last.t > interval * this.dropAfterMissed) this.series.delete(key);
      }
    }
  }

  points(key: string): Point[] {
    return this.series.get(key)?.points() ?? [];
  }

  last(key: string): Point | undefined {
    const p = this.series.get(key)?.last();
    return p && p.t === this.latestAt ? p : undefined;
  }

  /** Latest usage of every node. */
  nodes(): Record<string, { cpu: number; mem: number }> {
    const out: Record<string, { cpu: number; mem: number }> = {};
    for (const [key, ring] of this.series) {
      if (!key.startsWith('node/')) continue;
      const p = ring.last();
      if (p && p.t === this.latestAt) out[key.slice(5)] = { cpu: p.cpu, mem: p.mem };
    }
    return out;
  }

  /** Latest usage of every Pod and VMI, keyed `namespace/name`. */
  workloads(): Record<string, { cpu: number; mem: number }> {
    const out: Record<string, { cpu: number; mem: number }> = {};
    for (const [key, ring] of this.series) {
      if (!key.startsWith('pod/')) continue;
      const p = ring.last();
      if (p && p.t === this.latestAt) out[key.slice(4)] = { cpu: p.cpu, mem: p.mem };
    }
    return out;
  }

  size(): number {
    return this.series.size;
  }
}
