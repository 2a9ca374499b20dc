// The drift cases from libs/scheduling run through the scheduler's own decision path: its
// configured VM overhead, the cache's NodeInfos and findNode (contract with explain()).
import { Pod, VirtualMachineInstance } from '@coxswain/api';
import { buildFramework, workloadFromPod, workloadFromVmi } from '@coxswain/scheduling';
import { DRIFT_CASES } from '@coxswain/scheduling/testing';
import { SchedulerCache } from '../cache/scheduler-cache';
import { resolveConfig } from '../config/config';
import { findFeasible, Scratch } from './find-node';

describe('scheduler: the drift cases (contract)', () => {
  const config = resolveConfig({});
  const reduce = (o: Pod | VirtualMachineInstance) => (o.kind === 'VirtualMachineInstance' ? workloadFromVmi(o as VirtualMachineInstance, config.vmOverhead) : workloadFromPod(o as Pod));

  it.each(DRIFT_CASES)('$name', ({ workload, nodes, bound, want, wantMilliCpu }) => {
    const cache = new SchedulerCache();
    for (const n of nodes) cache.setNode(n);
    for (const w of [...bound.pods, ...bound.vmis]) cache.observeBound(reduce(w));
    const w = reduce(workload);
    const framework = buildFramework({ schedulerName: w.schedulerName });
    const found = findFeasible(framework, w, framework.prepare(w, cache.snapshot()), cache.listNodes(), { start: 0, numToFind: nodes.length }, new Scratch());
    if ('error' in found) throw new Error(found.error.message);
    const rejected = new Map(found.diagnosis.rejections.map((r) => [r.node, r.reasons[0]]));
    expect(found.evaluated).toBe(nodes.length);
    expect(Object.fromEntries(nodes.map((n) => [n.metadata!.name!, rejected.get(n.metadata!.name!)]))).toEqual(want);
    expect(found.feasible.map((n) => n.name).sort()).toEqual(Object.keys(want).filter((k) => want[k] === undefined).sort());
    if (wantMilliCpu !== undefined) expect(w.requests.milliCpu).toBe(wantMilliCpu);
  });
});
