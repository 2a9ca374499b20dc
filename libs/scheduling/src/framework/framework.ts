// A profile's plugin pipeline: the filters in the order they run and the weighted scorers.
import { NodeInfo } from './node-info';
import { ClusterSnapshot } from './snapshot';
import { Status, SUCCESS } from './status';
import { ClusterEvent, CycleState, FilterPlugin, ScorePlugin } from './types';
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

/** One attempt's state: what the PreFilters computed, and the filters that have something to check. */
export interface Cycle {
  readonly state: CycleState;
  /** The profile's filters in order, less those whose PreFilter found nothing to check for this workload. */
  readonly filters: readonly FilterPlugin[];
}

const PASSED: FilterVerdict = Object.freeze({ status: SUCCESS });

export class Framework {
  private readonly eventsByPlugin: Map<string, readonly ClusterEvent[]>;
  private readonly crossNodePlugins: ReadonlySet<string>;

  constructor(
    /** The schedulerName workloads use to pick this profile. */
    readonly schedulerName: string,
    readonly filters: readonly FilterPlugin[],
    readonly scorers: readonly WeightedScorer[],
  ) {
    this.eventsByPlugin = new Map(filters.map((f) => [f.name, f.events]));
    this.crossNodePlugins = new Set(filters.filter((f) => f.crossNode).map((f) => f.name));
  }

  /**
   * PreFilter: runs once per attempt before any node is filtered. Plugins with nothing to
   * check for this workload drop out of the attempt's filter list.
   */
  prepare(workload: Workload, snapshot: ClusterSnapshot): Cycle {
    const state: CycleState = new Map();
    let filters: FilterPlugin[] | undefined;
    for (let i = 0; i < this.filters.length; i++) {
      const filter = this.filters[i];
      const needed = filter.preFilter ? filter.preFilter(workload, snapshot, state) : true;
      if (!needed) filters ??= this.filters.slice(0, i);
      else filters?.push(filter);
    }
    return { state, filters: filters ?? this.filters };
  }

  /** Runs the attempt's filters in order and stops at the first that does not succeed (one reason per node, like Kubernetes). */
  runFilters(workload: Workload, node: NodeInfo, cycle: Cycle): FilterVerdict {
    const { filters, state } = cycle;
    for (let i = 0; i < filters.length; i++) {
      const status = filters[i].filter(workload, node, state);
      if (status.code !== 'Success') return { status, plugin: filters[i].name };
    }
    return PASSED;
  }

  /** Would the workload pass every filter on this node now (the queue's check after a change)? */
  fitsOn(workload: Workload, node: NodeInfo, snapshot: ClusterSnapshot): boolean {
    return this.runFilters(workload, node, this.prepare(workload, snapshot)).status.code === 'Success';
  }

  /** Whether an event could help a workload that these plugins rejected. */
  eventMayHelp(event: ClusterEvent, rejectedBy: ReadonlySet<string>): boolean {
    if (rejectedBy.size === 0) return true;
    for (const plugin of rejectedBy) if (this.eventsByPlugin.get(plugin)?.includes(event) ?? true) return true;
    return false;
  }

  /** Whether one of these plugins judges a node by workloads elsewhere (then a change is not tested on its node alone). */
  rejectedAcrossNodes(rejectedBy: ReadonlySet<string>): boolean {
    for (const plugin of rejectedBy) if (this.crossNodePlugins.has(plugin)) return true;
    return false;
  }
}
