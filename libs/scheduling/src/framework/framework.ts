// A profile's plugin pipeline: the filters in the order they run and the weighted scorers.
import { NodeInfo } from './node-info';
import { Status, SUCCESS } from './status';
import { ClusterEvent, FilterPlugin, ScorePlugin } from './types';
import { Workload } from './workload';

export interface WeightedScorer {
  plugin: ScorePlugin;
  weight: number;
}

export interface FilterVerdict {
  status: Status;
  /** The plugin that rejected; undefined on success. */
  plugin?: string;
}

const PASSED: FilterVerdict = Object.freeze({ status: SUCCESS });

export class Framework {
  private readonly eventsByPlugin: Map<string, readonly ClusterEvent[]>;

  constructor(
    /** The schedulerName workloads use to pick this profile. */
    readonly schedulerName: string,
    readonly filters: readonly FilterPlugin[],
    readonly scorers: readonly WeightedScorer[],
  ) {
    this.eventsByPlugin = new Map(filters.map((f) => [f.name, f.events]));
  }

  /** Runs the filters in order and stops at the first that does not succeed (one reason per node, like Kubernetes). */
  runFilters(workload: Workload, node: NodeInfo): FilterVerdict {
    for (const filter of this.filters) {
      const status = filter.filter(workload, node);
      if (status.code !== 'Success') return { status, plugin: filter.name };
    }
    return PASSED;
  }

  /** Whether an event could help a workload that these plugins rejected. */
  eventMayHelp(event: ClusterEvent, rejectedBy: ReadonlySet<string>): boolean {
    if (rejectedBy.size === 0) return true;
    for (const plugin of rejectedBy) if (this.eventsByPlugin.get(plugin)?.includes(event) ?? true) return true;
    return false;
  }
}
