import type { Pod } from '@coxswain/api/browser';
import { buildFramework } from '../../framework/registry';
import { snapshotOf } from '../../framework/snapshot';
import { filterReasons, nodeInfo, place, pluginScores, pod, PodOptions } from '../../testing/fixtures';
import { newInterPodAffinity, normalizeMinMax, REASON_AFFINITY_NOT_MATCH, REASON_ANTI_AFFINITY_NOT_MATCH, REASON_EXISTING_ANTI_AFFINITY_NOT_MATCH } from './inter-pod-affinity';

type Affinity = Pod['spec']['affinity'];
const HOST = 'kubernetes.io/hostname';
const ZONE = 'topology.kubernetes.io/zone';
const term = (matchLabels: Record<string, string>, topologyKey: string, extra: Record<string, unknown> = {}) => ({ labelSelector: { matchLabels }, topologyKey, ...extra });
const required = (kind: 'podAffinity' | 'podAntiAffinity', ...terms: unknown[]) => ({ [kind]: { requiredDuringSchedulingIgnoredDuringExecution: terms } }) as Affinity;
const preferred = (kind: 'podAffinity' | 'podAntiAffinity', weight: number, t: unknown) => ({ [kind]: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight, podAffinityTerm: t }] } }) as Affinity;
const bound = (name: string, node: string, o: PodOptions = {}) => pod(name, { ...o, nodeName: node });

/** n1, n2 in zone a; n3 in zone b; bare has no zone label. */
const cluster = (placed: Record<string, ReturnType<typeof pod>[]> = {}) =>
  [
    nodeInfo('n1', { labels: { [ZONE]: 'a' } }),
    nodeInfo('n2', { labels: { [ZONE]: 'a' } }),
    nodeInfo('n3', { labels: { [ZONE]: 'b' } }),
    nodeInfo('bare'),
  ].map((n) => place(n, ...(placed[n.name] ?? [])));

const AFF = REASON_AFFINITY_NOT_MATCH;
const ANTI = REASON_ANTI_AFFINITY_NOT_MATCH;
const EXISTING = REASON_EXISTING_ANTI_AFFINITY_NOT_MATCH;

describe('InterPodAffinity filter', () => {
  const plugin = newInterPodAffinity();
  it.each<{ name: string; workload: PodOptions; placed?: Record<string, ReturnType<typeof pod>[]>; namespaces?: Record<string, Record<string, string>>; want: Record<string, string | undefined> }>([
    {
      name: 'affinity co-locates on the hostname of a match',
      workload: { labels: { app: 'web' }, affinity: required('podAffinity', term({ app: 'db' }, HOST)) },
      placed: { n2: [bound('db', 'n2', { labels: { app: 'db' } })] },
      want: { n1: AFF, n2: undefined, n3: AFF, bare: AFF },
    },
    {
      name: 'affinity on the zone admits every node of the zone; a node without the key never',
      workload: { affinity: required('podAffinity', term({ app: 'db' }, ZONE)) },
      placed: { n1: [bound('db', 'n1', { labels: { app: 'db' } })] },
      want: { n1: undefined, n2: undefined, n3: AFF, bare: AFF },
    },
    {
      name: 'the first pod of a group that attracts itself may go anywhere with the key',
      workload: { labels: { app: 'web' }, affinity: required('podAffinity', term({ app: 'web' }, ZONE)) },
      want: { n1: undefined, n2: undefined, n3: undefined, bare: AFF },
    },
    {
      name: 'once one member is placed, the rest follow it',
      workload: { labels: { app: 'web' }, affinity: required('podAffinity', term({ app: 'web' }, ZONE)) },
      placed: { n3: [bound('web-0', 'n3', { labels: { app: 'web' } })] },
      want: { n1: AFF, n2: AFF, n3: undefined, bare: AFF },
    },
    {
      name: 'affinity to others with no match anywhere fits nowhere',
      workload: { labels: { app: 'web' }, affinity: required('podAffinity', term({ app: 'db' }, ZONE)) },
      want: { n1: AFF, n2: AFF, n3: AFF, bare: AFF },
    },
    {
      name: 'several terms: one workload must match them all',
      workload: { affinity: required('podAffinity', term({ app: 'db' }, ZONE), term({ tier: 'data' }, HOST)) },
      placed: { n1: [bound('db', 'n1', { labels: { app: 'db' } })], n2: [bound('data', 'n2', { labels: { tier: 'data' } })], n3: [bound('both', 'n3', { labels: { app: 'db', tier: 'data' } })] },
      want: { n1: AFF, n2: AFF, n3: undefined, bare: AFF },
    },
    {
      name: 'anti-affinity on the hostname keeps off nodes with a match',
      workload: { labels: { app: 'web' }, affinity: required('podAntiAffinity', term({ app: 'web' }, HOST)) },
      placed: { n1: [bound('web-0', 'n1', { labels: { app: 'web' } })] },
      want: { n1: ANTI, n2: undefined, n3: undefined, bare: undefined },
    },
    {
      name: 'anti-affinity on the zone keeps off the whole zone; a node without the key is fine',
      workload: { affinity: required('podAntiAffinity', term({ app: 'web' }, ZONE)) },
      placed: { n1: [bound('web-0', 'n1', { labels: { app: 'web' } })] },
      want: { n1: ANTI, n2: ANTI, n3: undefined, bare: undefined },
    },
    {
      name: "symmetric: a placed workload's anti-affinity keeps the incoming one out of its domain",
      workload: { labels: { app: 'web' } },
      placed: { n1: [bound('loner', 'n1', { labels: { app: 'loner' }, affinity: required('podAntiAffinity', term({ app: 'web' }, ZONE)) })] },
      want: { n1: EXISTING, n2: EXISTING, n3: undefined, bare: undefined },
    },
    {
      name: "symmetric: the placed workload's anti-affinity does not match the incoming labels",
      workload: { labels: { app: 'api' } },
      placed: { n1: [bound('loner', 'n1', { labels: { app: 'loner' }, affinity: required('podAntiAffinity', term({ app: 'web' }, ZONE)) })] },
      want: { n1: undefined, n2: undefined, n3: undefined, bare: undefined },
    },
    {
      name: 'a term looks at its own namespace by default',
      workload: { affinity: required('podAntiAffinity', term({ app: 'web' }, HOST)) },
      placed: { n1: [bound('web-0', 'n1', { labels: { app: 'web' }, namespace: 'other' })] },
      want: { n1: undefined, n2: undefined, n3: undefined, bare: undefined },
    },
    {
      name: 'namespaces lists the namespaces it looks at',
      workload: { affinity: required('podAntiAffinity', term({ app: 'web' }, HOST, { namespaces: ['other'] })) },
      placed: { n1: [bound('web-0', 'n1', { labels: { app: 'web' }, namespace: 'other' })], n2: [bound('web-1', 'n2', { labels: { app: 'web' } })] },
      want: { n1: ANTI, n2: undefined, n3: undefined, bare: undefined },
    },
    {
      name: 'an empty namespaceSelector looks at every namespace',
      workload: { affinity: required('podAntiAffinity', term({ app: 'web' }, HOST, { namespaceSelector: {} })) },
      placed: { n1: [bound('web-0', 'n1', { labels: { app: 'web' }, namespace: 'other' })], n2: [bound('web-1', 'n2', { labels: { app: 'web' } })] },
      want: { n1: ANTI, n2: ANTI, n3: undefined, bare: undefined },
    },
    {
      name: "a namespaceSelector matches namespaces by their labels",
      workload: { affinity: required('podAntiAffinity', term({ app: 'web' }, HOST, { namespaceSelector: { matchLabels: { team: 'x' } } })) },
      placed: { n1: [bound('web-0', 'n1', { labels: { app: 'web' }, namespace: 'team-x' })], n2: [bound('web-1', 'n2', { labels: { app: 'web' }, namespace: 'team-y' })] },
      namespaces: { 'team-x': { team: 'x' }, 'team-y': { team: 'y' } },
      want: { n1: ANTI, n2: undefined, n3: undefined, bare: undefined },
    },
    {
      name: 'matchLabelKeys narrows the selector to the same value of the key (one revision per node)',
      workload: { labels: { app: 'web', rev: '2' }, affinity: required('podAntiAffinity', term({ app: 'web' }, HOST, { matchLabelKeys: ['rev'] })) },
      placed: { n1: [bound('old', 'n1', { labels: { app: 'web', rev: '1' } })], n2: [bound('new', 'n2', { labels: { app: 'web', rev: '2' } })] },
      want: { n1: undefined, n2: ANTI, n3: undefined, bare: undefined },
    },
    {
      name: 'a term without a labelSelector matches nothing',
      workload: { affinity: required('podAntiAffinity', { topologyKey: HOST }) },
      placed: { n1: [bound('web-0', 'n1', { labels: { app: 'web' } })] },
      want: { n1: undefined, n2: undefined, n3: undefined, bare: undefined },
    },
    {
      name: 'an invalid selector (unknown operator) matches nothing',
      workload: { affinity: required('podAntiAffinity', { labelSelector: { matchExpressions: [{ key: 'app', operator: 'Near' }] }, topologyKey: HOST }) },
      placed: { n1: [bound('web-0', 'n1', { labels: { app: 'web' } })] },
      want: { n1: undefined, n2: undefined, n3: undefined, bare: undefined },
    },
  ])('$name', ({ workload, placed, namespaces, want }) => {
    expect(filterReasons(plugin, pod('incoming', workload), cluster(placed), namespaces && ((ns) => namespaces[ns]))).toEqual(want);
  });

  it('has nothing to check without required terms or placed anti-affinity (no per-node cost)', () => {
    const state = new Map();
    expect(plugin.preFilter(pod('p', { labels: { app: 'web' } }), snapshotOf(cluster({ n1: [bound('x', 'n1', { labels: { app: 'web' } })] })), state)).toBe(false);
    expect(state.size).toBe(0);
  });

  it('anti-affinity spreads replicas one per hostname, and the 4th of 3 nodes stays pending', () => {
    const framework = buildFramework({ schedulerName: 'default-scheduler' });
    const nodes = ['a', 'b', 'c'].map((n) => nodeInfo(n));
    const placedOn: string[] = [];
    let last: Record<string, string | undefined> = {};
    for (let i = 0; i < 4; i++) {
      const w = pod(`web-${i}`, { cpu: '100m', labels: { app: 'web' }, affinity: required('podAntiAffinity', term({ app: 'web' }, HOST)) });
      const cycle = framework.prepare(w, snapshotOf(nodes));
      const verdicts = nodes.map((n) => [n, framework.runFilters(w, n, cycle)] as const);
      last = Object.fromEntries(verdicts.map(([n, v]) => [n.name, v.status.reasons[0]]));
      const fit = verdicts.find(([, v]) => v.status.code === 'Success');
      if (fit) {
        place(fit[0], { ...w, nodeName: fit[0].name });
        placedOn.push(fit[0].name);
      }
    }
    expect(placedOn).toEqual(['a', 'b', 'c']);
    expect(last).toEqual({ a: ANTI, b: ANTI, c: ANTI });
  });
});

describe('InterPodAffinity score', () => {
  const plugin = newInterPodAffinity();
  const placed = { n1: [bound('db', 'n1', { labels: { app: 'db' } })], n3: [bound('cache', 'n3', { labels: { app: 'cache' } })] };
  it.each<{ name: string; workload: PodOptions; placed?: Record<string, ReturnType<typeof pod>[]>; want: Record<string, number> | undefined }>([
    { name: 'no preferences anywhere: skipped', workload: {}, placed, want: undefined },
    { name: 'preferred affinity to the zone of a match', workload: { affinity: preferred('podAffinity', 10, term({ app: 'db' }, ZONE)) }, placed, want: { n1: 100, n2: 100, n3: 0, bare: 0 } },
    { name: 'preferred anti-affinity away from the hostname of a match', workload: { affinity: preferred('podAntiAffinity', 10, term({ app: 'db' }, HOST)) }, placed, want: { n1: 0, n2: 100, n3: 100, bare: 100 } },
    {
      name: "a placed workload's preferred affinity to the incoming one counts (symmetry)",
      workload: { labels: { app: 'web' } },
      placed: { n3: [bound('fan', 'n3', { labels: { app: 'fan' }, affinity: preferred('podAffinity', 5, term({ app: 'web' }, ZONE)) })] },
      want: { n1: 0, n2: 0, n3: 100, bare: 0 },
    },
    {
      name: "a placed workload's required affinity to the incoming one counts at hardPodAffinityWeight",
      workload: { labels: { app: 'web' } },
      placed: { n1: [bound('fan', 'n1', { labels: { app: 'fan' }, affinity: required('podAffinity', term({ app: 'web' }, HOST)) })] },
      want: { n1: 100, n2: 0, n3: 0, bare: 0 },
    },
    {
      name: 'weights add up per domain',
      workload: { affinity: { podAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 30, podAffinityTerm: term({ app: 'db' }, ZONE) }, { weight: 10, podAffinityTerm: term({ app: 'cache' }, ZONE) }] } } as Affinity },
      placed,
      want: { n1: 100, n2: 100, n3: 33, bare: 0 },
    },
  ])('$name', ({ workload, placed: p, want }) => {
    expect(pluginScores(plugin, pod('incoming', workload), cluster(p))).toEqual(want);
  });

  it('normalizes min–max, negative scores included', () => {
    const scores = Float64Array.from([-10, 0, 10, 10]);
    normalizeMinMax(scores, 4);
    expect([...scores]).toEqual([0, 50, 100, 100]);
    const flat = Float64Array.from([3, 3]);
    normalizeMinMax(flat, 2);
    expect([...flat]).toEqual([0, 0]);
  });
});
