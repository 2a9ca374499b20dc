import { parseSave } from './chains';
import { backendsFor } from './endpoints';
import { planRules, probability, ProxyDesired } from './plan';
import { EndpointSliceView, ServiceView } from './shapes';

const svc = (name: string, spec: ServiceView['spec'], namespace = 'default'): ServiceView => ({ metadata: { name, namespace }, spec });
const slice = (service: string, endpoints: EndpointSliceView['endpoints'], ports: EndpointSliceView['ports'] = [{ name: 'http', port: 8080, protocol: 'TCP' }], namespace = 'default'): EndpointSliceView => ({
  metadata: { name: `${service}-abc`, namespace, labels: { 'kubernetes.io/service-name': service } },
  addressType: 'IPv4',
  endpoints,
  ports,
});
const ep = (ip: string, conditions: { ready?: boolean; serving?: boolean; terminating?: boolean } = {}) => ({ addresses: [ip], conditions });
const web = svc('web', { type: 'ClusterIP', clusterIP: '10.96.0.20', ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' }] });

const rulesOf = (desired: ProxyDesired, saved = '') => planRules(desired, parseSave(saved)).text.split('\n');

describe('backendsFor', () => {
  const port = { name: 'http', port: 80 };
  it.each([
    { name: 'ready endpoints only', endpoints: [ep('10.1.0.3'), ep('10.1.0.2', { ready: false }), ep('10.1.0.4', { ready: false, serving: true, terminating: true })], want: ['10.1.0.3'] },
    { name: 'nil conditions mean ready', endpoints: [{ addresses: ['10.1.0.9'] }], want: ['10.1.0.9'] },
    { name: 'falls back to serving+terminating when none is ready', endpoints: [ep('10.1.0.4', { ready: false, serving: true, terminating: true }), ep('10.1.0.5', { ready: false, serving: false, terminating: true })], want: ['10.1.0.4'] },
    { name: 'sorted numerically and deduplicated', endpoints: [ep('10.1.0.10'), ep('10.1.0.9'), ep('10.1.0.10')], want: ['10.1.0.9', '10.1.0.10'] },
    { name: 'nothing when nothing serves', endpoints: [ep('10.1.0.2', { ready: false })], want: [] },
  ])('$name', ({ endpoints, want }) => {
    expect(backendsFor(port, [slice('web', endpoints)]).map((b) => b.ip)).toEqual(want);
  });

  it('matches the slice port by name and protocol', () => {
    const s = slice('web', [ep('10.1.0.2')], [{ name: 'metrics', port: 9090 }, { name: 'http', port: 8080, protocol: 'UDP' }]);
    expect(backendsFor(port, [s])).toEqual([]);
    expect(backendsFor({ name: 'http', port: 80, protocol: 'UDP' }, [s])).toEqual([{ ip: '10.1.0.2', port: 8080 }]);
  });

  it('merges several slices of one Service', () => {
    expect(backendsFor(port, [slice('web', [ep('10.1.0.2')]), slice('web', [ep('10.2.0.2')])]).map((b) => b.ip)).toEqual(['10.1.0.2', '10.2.0.2']);
  });
});

describe('planRules', () => {
  it('balances a ClusterIP over its endpoints with kube-proxy probabilities', () => {
    const lines = rulesOf({ services: [web], slices: [slice('web', [ep('10.1.0.2'), ep('10.1.0.3'), ep('10.2.0.2')])] });
    const svcJump = lines.find((l) => l.startsWith('-A COX-SERVICES -d 10.96.0.20/32'))!;
    expect(svcJump).toMatch(/-p tcp -m tcp --dport 80 -j COX-SVC-[A-Z2-7]{16}$/);
    const svcChain = svcJump.split('-j ')[1];
    const picks = lines.filter((l) => l.startsWith(`-A ${svcChain} `));
    expect(picks.map((l) => l.match(/--probability (\S+)/)?.[1] ?? 'rest')).toEqual(['0.3333333333', '0.5000000000', 'rest']);
    const dnats = lines.filter((l) => l.includes('-j DNAT'));
    expect(dnats.map((l) => l.split('--to-destination ')[1])).toEqual(['10.1.0.2:8080', '10.1.0.3:8080', '10.2.0.2:8080']);
    // Hairpin: an endpoint calling its own Service is masqueraded.
    expect(lines.filter((l) => l.includes('-s 10.1.0.2/32 -j COX-MARK-MASQ'))).toHaveLength(1);
  });

  it('rejects a Service without endpoints in the filter table, also on its NodePort', () => {
    const nodePort = svc('np', { type: 'NodePort', clusterIP: '10.96.0.30', ports: [{ port: 80, nodePort: 30080 }] });
    const plan = planRules({ services: [nodePort], slices: [] });
    const filter = plan.text.split('*nat')[0];
    expect(filter).toContain('-A COX-SERVICES -d 10.96.0.30/32 -m comment --comment "default/np has no endpoints" -p tcp -m tcp --dport 80 -j REJECT');
    expect(filter).toMatch(/-A COX-EXTERNAL-SERVICES .*--dst-type LOCAL -p tcp -m tcp --dport 30080 -j REJECT/);
    expect(plan.text.split('*nat')[1]).not.toContain('COX-SVC-');
    expect(plan.rejectedPorts).toBe(1);
  });

  it('sends NodePort traffic through a masquerading EXT chain to the service chain', () => {
    const nodePort = svc('np', { type: 'NodePort', clusterIP: '10.96.0.30', ports: [{ port: 80, nodePort: 30080 }] });
    const lines = rulesOf({ services: [nodePort], slices: [slice('np', [ep('10.1.0.2')], [{ port: 8080 }])] });
    const np = lines.find((l) => l.startsWith('-A COX-NODEPORTS'))!;
    expect(np).toMatch(/--dport 30080 -j COX-EXT-/);
    const ext = np.split('-j ')[1];
    expect(lines.filter((l) => l.startsWith(`-A ${ext} `)).map((l) => l.split('-j ')[1])).toEqual(['COX-MARK-MASQ', expect.stringMatching(/^COX-SVC-/)]);
    expect(lines.filter((l) => l.startsWith('-A COX-SERVICES')).at(-1)).toContain('--dst-type LOCAL -j COX-NODEPORTS');
  });

  it('pins clients with the recent module for sessionAffinity ClientIP', () => {
    const sticky = svc('sticky', { clusterIP: '10.96.0.40', sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [{ name: 'http', port: 80 }] });
    const lines = rulesOf({ services: [sticky], slices: [slice('sticky', [ep('10.1.0.2'), ep('10.1.0.3')])] });
    const checks = lines.filter((l) => l.includes('--rcheck'));
    expect(checks).toHaveLength(2);
    expect(checks[0]).toMatch(/-m recent --name (COX-SEP-\S+) --rcheck --seconds 60 --reap -j \1$/);
    const sets = lines.filter((l) => l.includes('--set --rsource'));
    expect(sets).toHaveLength(2);
    // The affinity checks come before the random choice.
    expect(lines.findIndex((l) => l.includes('--rcheck'))).toBeLessThan(lines.findIndex((l) => l.includes('--probability')));
  });

  it('masquerades off-cluster sources when the cluster CIDR is known', () => {
    const lines = rulesOf({ services: [web], slices: [slice('web', [ep('10.1.0.2')])], clusterCidr: '10.1.0.0/16' });
    expect(lines.some((l) => /^-A COX-SVC-\S+ ! -s 10\.1\.0\.0\/16 -d 10\.96\.0\.20\/32 .* -j COX-MARK-MASQ$/.test(l))).toBe(true);
  });

  it('skips headless and ExternalName Services', () => {
    const headless = svc('db', { clusterIP: 'None', ports: [{ port: 5432 }] });
    const external = svc('ext', { type: 'ExternalName', externalName: 'example.org' });
    const plan = planRules({ services: [headless, external], slices: [slice('db', [ep('10.1.0.2')], [{ port: 5432 }])] });
    expect(plan.servicePorts).toBe(0);
    expect(plan.rejectedPorts).toBe(0);
    expect(plan.text).not.toContain('10.1.0.2');
  });

  it('answers the cluster DNS address from the node-local server instead of the kube-dns endpoints', () => {
    const kubeDns = svc('kube-dns', { clusterIP: '10.96.0.10', ports: [{ name: 'dns', port: 53, protocol: 'UDP' }] }, 'kube-system');
    const lines = rulesOf({ services: [kubeDns], slices: [], localDns: { clusterIP: '10.96.0.10', ip: '10.1.0.1', port: 53 } });
    expect(lines.filter((l) => l.includes('--to-destination 10.1.0.1:53')).map((l) => l.match(/-p (\w+)/)![1])).toEqual(['udp', 'tcp']);
    expect(lines.join('\n')).not.toContain('REJECT');
  });

  it('adds the jumps from built-in chains only when they are missing', () => {
    const first = planRules({ services: [], slices: [] });
    expect(first.text.match(/^-I /gm)).toHaveLength(8);
    const saved = [
      '*nat', ':PREROUTING ACCEPT [0:0]',
      '-A PREROUTING -m comment --comment "coxswain service portals" -j COX-SERVICES',
      '-A OUTPUT -m comment --comment "coxswain service portals" -j COX-SERVICES',
      '-A POSTROUTING -m comment --comment "coxswain postrouting rules" -j COX-POSTROUTING',
      'COMMIT',
    ].join('\n');
    expect(planRules({ services: [], slices: [] }, parseSave(saved)).text.match(/^-I /gm)).toHaveLength(5);
  });

  it.each([
    [true, ['-A COX-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP']],
    [false, []],
  ])('localhostNodePorts=%s: COX-FIREWALL (jumped to from INPUT) guards 127.0.0.0/8 only when NodePorts answer on localhost', (localhostNodePorts, rules) => {
    const plan = planRules({ services: [], slices: [], localhostNodePorts });
    const lines = plan.text.split('\n');
    expect(lines).toContain(':COX-FIREWALL - [0:0]');
    expect(lines).toContain('-I INPUT 1 -j COX-FIREWALL');
    expect(lines.filter((l) => l.startsWith('-A COX-FIREWALL '))).toEqual(rules);
  });

  it('deletes chains of ours that are no longer wanted, never anyone else\'s', () => {
    const saved = ['*nat', ':COX-SVC-AAAAAAAAAAAAAAAA - [0:0]', ':COX-SEP-BBBBBBBBBBBBBBBB - [0:0]', ':COX-HP-node-1 - [0:0]', ':KUBE-SVC-AAAAAAAAAAAAAAAA - [0:0]', 'COMMIT'].join('\n');
    const plan = planRules({ services: [], slices: [] }, parseSave(saved));
    expect(plan.staleChains).toEqual(['COX-SEP-BBBBBBBBBBBBBBBB', 'COX-SVC-AAAAAAAAAAAAAAAA']);
    expect(plan.text).toContain('-X COX-SVC-AAAAAAAAAAAAAAAA');
    expect(plan.text).not.toContain('COX-HP-node-1');
    expect(plan.text).not.toContain('KUBE-SVC');
  });

  it('plans against what the previous plan left exactly as against the tables read back', () => {
    const a = svc('a', { clusterIP: '10.96.0.2', ports: [{ port: 80 }] });
    const b = svc('b', { type: 'NodePort', clusterIP: '10.96.0.3', ports: [{ port: 80, nodePort: 30003 }] });
    const slices = [slice('a', [ep('10.1.0.2')], [{ port: 80 }]), slice('b', [ep('10.1.0.3')], [{ port: 80 }])];
    const first = planRules({ services: [a, b], slices });
    // The tables after restoring `first`, as iptables-save would print our part of them.
    const saved = first.text.replace(/^-I (\S+) 1 /gm, '-A $1 ');
    for (const next of [{ services: [a], slices }, { services: [a, b], slices: slices.slice(0, 1) }, { services: [], slices: [] }]) {
      const known = planRules(next, first.after);
      expect(known.text).toEqual(planRules(next, parseSave(saved)).text);
      expect(known.text).not.toMatch(/^-I /m);
    }
    expect(planRules({ services: [a], slices }, first.after).staleChains).toHaveLength(3); // b's SVC, EXT and SEP
  });

  it('is deterministic whatever the input order', () => {
    const a = svc('a', { clusterIP: '10.96.0.2', ports: [{ port: 80 }] });
    const b = svc('b', { clusterIP: '10.96.0.3', ports: [{ port: 80 }] });
    const slices = [slice('a', [ep('10.1.0.2')], [{ port: 80 }]), slice('b', [ep('10.1.0.3')], [{ port: 80 }])];
    expect(planRules({ services: [a, b], slices }).text).toEqual(planRules({ services: [b, a], slices: [...slices].reverse() }).text);
  });

  describe('traffic policies (planned on node-1)', () => {
    const on = (node: string, ip: string, conditions = {}) => ({ ...ep(ip, conditions), nodeName: node });
    const both = [on('node-1', '10.1.0.2'), on('node-2', '10.2.0.2'), on('node-2', '10.2.0.3')];
    const policySvc = (spec: Partial<NonNullable<ServiceView['spec']>>) => svc('pol', { type: 'ClusterIP', clusterIP: '10.96.0.50', ports: [{ name: 'http', port: 80 }], ...spec });
    const np = { type: 'NodePort' as const, ports: [{ name: 'http', port: 80, nodePort: 30050 }] };

    /** The plan in words: where the cluster IP and the node port lead, and which endpoints each chain balances over. */
    function summary(spec: Partial<NonNullable<ServiceView['spec']>>, endpoints: EndpointSliceView['endpoints']) {
      const plan = planRules({ services: [policySvc(spec)], slices: [slice('pol', endpoints)], nodeName: 'node-1', clusterCidr: '10.1.0.0/24' });
      const [filter, nat] = plan.text.split('*nat');
      const lines = nat.split('\n');
      const dnat = new Map(lines.filter((l) => l.includes('-j DNAT')).map((l) => [l.split(' ')[1], l.split('--to-destination ')[1].split(':')[0]]));
      const name = (chain: string) => chain.replace(/-[A-Z2-7]{16}$/, '');
      // (the off-cluster masquerade rule of each policy chain is left out: tested above)
      const targets = (chain: string) => lines.filter((l) => l.startsWith(`-A ${chain} `) && !l.includes('! -s')).map((l) => {
        const to = l.split('-j ')[1];
        const from = l.includes('--src-type LOCAL') ? 'local src: ' : l.includes('-s 10.1.0.0/24') ? 'pods: ' : '';
        return from + (dnat.get(to) ?? name(to));
      });
      const clusterJump = lines.find((l) => l.startsWith('-A COX-SERVICES -d 10.96.0.50/32'))?.split('-j ')[1];
      const ext = lines.find((l) => l.startsWith('-A COX-NODEPORTS'))?.split('-j ')[1];
      const chainOf = (prefix: string) => lines.find((l) => l.startsWith(`:COX-${prefix}-`))?.slice(1).split(' ')[0];
      const svc = chainOf('SVC');
      const svl = chainOf('SVL');
      return {
        clusterIP: clusterJump ? name(clusterJump) : filter.match(/-d 10\.96\.0\.50\/32 -m comment --comment "([^"]+)" .* -j (\w+)/)?.slice(1).join(': '),
        nodePort: ext ? targets(ext).join(', ') : (filter.match(/COX-EXTERNAL-SERVICES -m comment --comment "([^"]+)" .*--dport 30050 -j (\w+)/)?.slice(1).join(': ') ?? 'none'),
        SVC: svc ? targets(svc) : 'none',
        SVL: svl ? targets(svl) : 'none',
      };
    }

    it.each([
      ['Cluster/Cluster: every endpoint', {}, both, { clusterIP: 'COX-SVC', nodePort: 'none', SVC: ['10.1.0.2', '10.2.0.2', '10.2.0.3'], SVL: 'none' }],
      ['internal Local: the cluster IP balances over this node only', { internalTrafficPolicy: 'Local' as const }, both, { clusterIP: 'COX-SVL', nodePort: 'none', SVC: 'none', SVL: ['10.1.0.2'] }],
      ['internal Local without a local endpoint: dropped (not rejected)', { internalTrafficPolicy: 'Local' as const }, both.slice(1), { clusterIP: 'default/pol:http has no local endpoints: DROP', nodePort: 'none', SVC: 'none', SVL: 'none' }],
      ['internal Local, local endpoint terminating and serving: it keeps the traffic', { internalTrafficPolicy: 'Local' as const }, [on('node-1', '10.1.0.2', { ready: false, serving: true, terminating: true }), ...both.slice(1)], { clusterIP: 'COX-SVL', nodePort: 'none', SVC: 'none', SVL: ['10.1.0.2'] }],
      ['NodePort Cluster: masqueraded to every endpoint', { ...np }, both, { clusterIP: 'COX-SVC', nodePort: 'COX-MARK-MASQ, COX-SVC', SVC: ['10.1.0.2', '10.2.0.2', '10.2.0.3'], SVL: 'none' }],
      ['NodePort external Local: pods and the node short-circuit to all, others to this node unmasqueraded', { ...np, externalTrafficPolicy: 'Local' as const }, both,
        { clusterIP: 'COX-SVC', nodePort: 'pods: COX-SVC, local src: COX-MARK-MASQ, local src: COX-SVC, COX-SVL', SVC: ['10.1.0.2', '10.2.0.2', '10.2.0.3'], SVL: ['10.1.0.2'] }],
      ['NodePort external Local without a local endpoint: the node port drops what was not short-circuited', { ...np, externalTrafficPolicy: 'Local' as const }, both.slice(1),
        { clusterIP: 'COX-SVC', nodePort: 'pods: COX-SVC, local src: COX-MARK-MASQ, local src: COX-SVC', SVC: ['10.2.0.2', '10.2.0.3'], SVL: 'none' }],
      ['both Local on a NodePort: the cluster IP local, the short circuit still cluster-wide', { ...np, externalTrafficPolicy: 'Local' as const, internalTrafficPolicy: 'Local' as const }, both,
        { clusterIP: 'COX-SVL', nodePort: 'pods: COX-SVC, local src: COX-MARK-MASQ, local src: COX-SVC, COX-SVL', SVC: ['10.1.0.2', '10.2.0.2', '10.2.0.3'], SVL: ['10.1.0.2'] }],
    ])('%s', (_name, spec, endpoints, want) => {
      expect(summary(spec, endpoints)).toEqual(want);
    });

    it('drops the node port of an external-Local Service without local endpoints in the filter table', () => {
      const plan = planRules({ services: [policySvc({ ...np, externalTrafficPolicy: 'Local' })], slices: [slice('pol', both.slice(1))], nodeName: 'node-1' });
      expect(plan.text.split('*nat')[0]).toContain('-A COX-EXTERNAL-SERVICES -m comment --comment "default/pol:http has no local endpoints" -m addrtype --dst-type LOCAL -p tcp -m tcp --dport 30050 -j DROP');
    });

    it('writes each endpoint chain once when both policy chains use it', () => {
      const lines = rulesOf({ services: [policySvc({ ...np, externalTrafficPolicy: 'Local' })], slices: [slice('pol', both)], nodeName: 'node-1' });
      expect(lines.filter((l) => l.includes('--to-destination 10.1.0.2:8080'))).toHaveLength(1);
      expect(lines.filter((l) => /^:COX-SEP-/.test(l))).toHaveLength(3);
    });
  });

  it('prints probabilities like kube-proxy', () => {
    expect([2, 3, 7].map(probability)).toEqual(['0.5000000000', '0.3333333333', '0.1428571429']);
  });
});
