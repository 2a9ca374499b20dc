import { buildFramework } from '../../framework/registry';
import { snapshotOf } from '../../framework/snapshot';
import { filterReasons, nodeInfo, NodeOptions, place, pluginScores, pod, PodOptions } from '../../testing/fixtures';
import { newPodTopologySpread, normalizeSpread, REASON_SPREAD_MISSING_LABEL, REASON_SPREAD_NOT_MATCH } from './pod-topology-spread';

const ZONE = 'topology.kubernetes.io/zone';
const HOST = 'kubernetes.io/hostname';
const web = { app: 'web' };
const spread = (o: Record<string, unknown> = {}) => ({ maxSkew: 1, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: web }, ...o });
const bound = (name: string, node: string, o: PodOptions = {}) => pod(name, { labels: web, ...o, nodeName: node });

/** a1, a2 in zone a; b1 in zone b; bare has no zone label. */
function cluster(placed: Record<string, ReturnType<typeof pod>[]> = {}, extra: Record<string, NodeOptions> = {}) {
  const nodes = [nodeInfo('a1', { labels: { [ZONE]: 'a' }, ...extra.a1 }), nodeInfo('a2', { labels: { [ZONE]: 'a' }, ...extra.a2 }), nodeInfo('b1', { labels: { [ZONE]: 'b' }, ...extra.b1 }), nodeInfo('bare', extra.bare)];
  for (const [name, o] of Object.entries(extra)) if (!nodes.some((n) => n.name === name)) nodes.push(nodeInfo(name, o));
  return nodes.map((n) => place(n, ...(placed[n.name] ?? [])));
}

const SKEW = REASON_SPREAD_NOT_MATCH;
const MISSING = REASON_SPREAD_MISSING_LABEL;

describe('PodTopologySpread filter (DoNotSchedule)', () => {
  const plugin = newPodTopologySpread();
  it.each<{ name: string; workload: PodOptions; placed?: Record<string, ReturnType<typeof pod>[]>; extra?: Record<string, NodeOptions>; want: Record<string, string | undefined> }>([
    {
      name: 'maxSkew 1 across two zones: the zone ahead is refused; a node without the key always',
      workload: { labels: web, topologySpreadConstraints: [spread()] },
      placed: { a1: [bound('w0', 'a1')] },
      want: { a1: SKEW, a2: SKEW, b1: undefined, bare: MISSING },
    },
    {
      name: 'balanced zones admit both',
      workload: { labels: web, topologySpreadConstraints: [spread()] },
      placed: { a2: [bound('w0', 'a2')], b1: [bound('w1', 'b1')] },
      want: { a1: undefined, a2: undefined, b1: undefined, bare: MISSING },
    },
    {
      name: 'maxSkew 2 allows one more',
      workload: { labels: web, topologySpreadConstraints: [spread({ maxSkew: 2 })] },
      placed: { a1: [bound('w0', 'a1')] },
      want: { a1: undefined, a2: undefined, b1: undefined, bare: MISSING },
    },
    {
      name: 'only the same namespace, live workloads and selected labels count',
      workload: { labels: web, topologySpreadConstraints: [spread()] },
      placed: { a1: [bound('other-ns', 'a1', { namespace: 'other' }), bound('leaving', 'a1', { terminating: true }), bound('db', 'a1', { labels: { app: 'db' } })] },
      want: { a1: undefined, a2: undefined, b1: undefined, bare: MISSING },
    },
    {
      name: 'a workload its own selector does not match adds nothing to the skew',
      workload: { labels: { app: 'other' }, topologySpreadConstraints: [spread()] },
      placed: { a1: [bound('w0', 'a1')] },
      want: { a1: undefined, a2: undefined, b1: undefined, bare: MISSING },
    },
    {
      name: 'hostname as the key: each node is a domain',
      workload: { labels: web, topologySpreadConstraints: [spread({ topologyKey: HOST })] },
      placed: { a1: [bound('w0', 'a1')], a2: [bound('w1', 'a2')], b1: [bound('w2', 'b1')] },
      want: { a1: SKEW, a2: SKEW, b1: SKEW, bare: undefined },
    },
    {
      name: 'minDomains above the domains found makes the global minimum 0',
      workload: { labels: web, topologySpreadConstraints: [spread({ minDomains: 3 })] },
      placed: { a1: [bound('w0', 'a1')], b1: [bound('w1', 'b1')] },
      want: { a1: SKEW, a2: SKEW, b1: SKEW, bare: MISSING },
    },
    {
      name: 'nodeAffinityPolicy Honor (default): nodes the workload may not use are no domain',
      workload: { labels: web, nodeSelector: { pool: 'main' }, topologySpreadConstraints: [spread()] },
      placed: { a1: [bound('w0', 'a1')] },
      extra: { a1: { labels: { [ZONE]: 'a', pool: 'main' } }, a2: { labels: { [ZONE]: 'a', pool: 'main' } }, c1: { labels: { [ZONE]: 'c' } } },
      want: { a1: undefined, a2: undefined, b1: undefined, bare: MISSING, c1: undefined },
    },
    {
      name: 'nodeAffinityPolicy Ignore: every node with the key is a domain',
      workload: { labels: web, nodeSelector: { pool: 'main' }, topologySpreadConstraints: [spread({ nodeAffinityPolicy: 'Ignore' })] },
      placed: { a1: [bound('w0', 'a1')], b1: [bound('w1', 'b1')] },
      extra: { c1: { labels: { [ZONE]: 'c' } } },
      want: { a1: SKEW, a2: SKEW, b1: SKEW, bare: MISSING, c1: undefined },
    },
    {
      name: 'nodeTaintsPolicy Honor leaves out nodes with untolerated taints',
      workload: { labels: web, topologySpreadConstraints: [spread({ nodeTaintsPolicy: 'Honor' })] },
      placed: { a1: [bound('w0', 'a1')], b1: [bound('w1', 'b1')] },
      extra: { c1: { labels: { [ZONE]: 'c' }, taints: [{ key: 'k', effect: 'NoSchedule' }] } },
      want: { a1: undefined, a2: undefined, b1: undefined, bare: MISSING, c1: undefined },
    },
    {
      name: 'nodeTaintsPolicy Ignore (default) counts the tainted node as a domain',
      workload: { labels: web, topologySpreadConstraints: [spread()] },
      placed: { a1: [bound('w0', 'a1')], b1: [bound('w1', 'b1')] },
      extra: { c1: { labels: { [ZONE]: 'c' }, taints: [{ key: 'k', effect: 'NoSchedule' }] } },
      want: { a1: SKEW, a2: SKEW, b1: SKEW, bare: MISSING, c1: undefined },
    },
    {
      name: 'matchLabelKeys counts only workloads with the same value (one revision)',
      workload: { labels: { ...web, rev: '2' }, topologySpreadConstraints: [spread({ matchLabelKeys: ['rev'] })] },
      placed: { a1: [bound('old', 'a1', { labels: { ...web, rev: '1' } })], b1: [bound('new', 'b1', { labels: { ...web, rev: '2' } })] },
      want: { a1: undefined, a2: undefined, b1: SKEW, bare: MISSING },
    },
    {
      name: 'two constraints must both hold',
      workload: { labels: web, topologySpreadConstraints: [spread(), spread({ topologyKey: HOST })] },
      placed: { a1: [bound('w0', 'a1')] },
      extra: { b2: { labels: { [ZONE]: 'b' } } },
      want: { a1: SKEW, a2: SKEW, b1: undefined, bare: MISSING, b2: undefined },
    },
    {
      name: 'ScheduleAnyway never filters',
      workload: { labels: web, topologySpreadConstraints: [spread({ whenUnsatisfiable: 'ScheduleAnyway' })] },
      placed: { a1: [bound('w0', 'a1'), bound('w1', 'a1')] },
      want: { a1: undefined, a2: undefined, b1: undefined, bare: undefined },
    },
    {
      name: 'a malformed constraint is reported on every node',
      workload: { labels: web, topologySpreadConstraints: [spread({ maxSkew: 0 })] },
      want: { a1: 'spec.topologySpreadConstraints[0].maxSkew: must be an integer >= 1', a2: 'spec.topologySpreadConstraints[0].maxSkew: must be an integer >= 1', b1: 'spec.topologySpreadConstraints[0].maxSkew: must be an integer >= 1', bare: 'spec.topologySpreadConstraints[0].maxSkew: must be an integer >= 1' },
    },
  ])('$name', ({ workload, placed, extra, want }) => {
    expect(filterReasons(plugin, pod('incoming', workload), cluster(placed, extra))).toEqual(want);
  });

  it('spreads replicas evenly over two zones as they are placed one by one', () => {
    const framework = buildFramework({ schedulerName: 'default-scheduler' });
    const nodes = cluster().filter((n) => n.name !== 'bare');
    for (let i = 0; i < 6; i++) {
      const w = pod(`w${i}`, { cpu: '100m', labels: web, topologySpreadConstraints: [spread()] });
      const cycle = framework.prepare(w, snapshotOf(nodes));
      // Always the first feasible node: without the constraint everything would go to a1.
      const fit = nodes.find((n) => framework.runFilters(w, n, cycle).status.code === 'Success')!;
      place(fit, { ...w, nodeName: fit.name });
    }
    const perZone = { a: 0, b: 0 };
    for (const n of nodes) perZone[n.labels[ZONE] as 'a' | 'b'] += n.workloads.size;
    expect(perZone).toEqual({ a: 3, b: 3 });
  });
});

describe('PodTopologySpread score (ScheduleAnyway)', () => {
  const plugin = newPodTopologySpread();
  const anyway = (o: Record<string, unknown> = {}) => spread({ whenUnsatisfiable: 'ScheduleAnyway', ...o });
  it.each<{ name: string; workload: PodOptions; placed?: Record<string, ReturnType<typeof pod>[]>; want: Record<string, number> | undefined }>([
    { name: 'no soft constraints: skipped', workload: { labels: web, topologySpreadConstraints: [spread()] }, want: undefined },
    {
      name: 'the emptier zone scores higher; a node without the key scores 0',
      workload: { labels: web, topologySpreadConstraints: [anyway()] },
      placed: { a1: [bound('w0', 'a1'), bound('w1', 'a2')] },
      // counts a: 2, b: 0; weight ln(4) ≈ 1.386 → raw a = round(2.77) = 3, b = 0; 100 × (3 + 0 − s) / 3.
      want: { a1: 0, a2: 0, b1: 100, bare: 0 },
    },
    {
      name: 'all even: all 100',
      workload: { labels: web, topologySpreadConstraints: [anyway()] },
      want: { a1: 100, a2: 100, b1: 100, bare: 0 },
    },
    {
      name: 'hostname: counted per node',
      workload: { labels: web, topologySpreadConstraints: [anyway({ topologyKey: HOST })] },
      placed: { a1: [bound('w0', 'a1')] },
      want: { a1: 0, a2: 100, b1: 100, bare: 100 },
    },
  ])('$name', ({ workload, placed, want }) => {
    expect(pluginScores(plugin, pod('incoming', workload), cluster(placed))).toEqual(want);
  });

  it('normalizes as Kubernetes does, ignored candidates to 0', () => {
    const scores = Float64Array.from([4, 2, -1, 0]);
    normalizeSpread(scores, 4);
    expect([...scores]).toEqual([0, 50, 0, 100]);
  });
});
