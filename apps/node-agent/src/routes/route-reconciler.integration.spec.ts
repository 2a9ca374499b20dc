// The route reconciler on a real API server: it programs routes at start, again when a Node
// change alters the desired routes, and not for the status rewrites every Node gets each 10 s.
import { KubeClient, BUILTIN_RESOURCES as R, createLogger } from '@coxswain/client';
import type { PeerRoute, RouteSyncResult } from '@coxswain/runtime';
import { RunningApiServerHarness, RunningEtcd, startApiServer, startEtcd } from '@coxswain/harness';
import { RouteReconciler } from './route-reconciler';

jest.setTimeout(120_000);

let etcd: RunningEtcd;
let api: RunningApiServerHarness;
let admin: KubeClient;

beforeAll(async () => {
  etcd = await startEtcd();
  api = await startApiServer({ etcdEndpoint: etcd.endpoint, nodes: ['n1', 'n2'] });
  admin = new KubeClient({ server: api.url, token: api.tokens.admin });
});

afterAll(async () => {
  await api?.stop();
  await etcd?.stop();
});

const node = (name: string, cidr: string, ip: string) => ({
  apiVersion: 'v1', kind: 'Node', metadata: { name }, spec: { podCIDR: cidr, podCIDRs: [cidr] },
  status: { addresses: [{ type: 'InternalIP', address: ip }], conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: '2026-01-01T00:00:00Z' }] },
});

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check(); await sleep(50)) if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
}

it('syncs at start and on route changes, not on Node status rewrites', async () => {
  for (const n of [node('n1', '10.244.1.0/24', '192.0.2.1'), node('n2', '10.244.2.0/24', '192.0.2.2')]) {
    await admin.create(R.Node, n as never);
    await admin.patch(R.Node, n.metadata.name, { status: n.status }, { subresource: 'status' });
  }
  const syncs: PeerRoute[][] = [];
  const routes = { sync: async (peers: PeerRoute[]): Promise<RouteSyncResult> => (syncs.push(peers), { replaced: [], removed: [], failed: [] }) };
  const reconciler = new RouteReconciler({ client: new KubeClient({ server: api.url, token: api.tokens.node.n1 }), nodeName: 'n1', routes, logger: createLogger('test'), resyncMs: 3_600_000 });
  await reconciler.start();
  try {
    expect(syncs).toEqual([[{ cidr: '10.244.2.0/24', via: '192.0.2.2', node: 'n2' }]]);
    // Heartbeats: status rewrites of both Nodes. Then a change that matters, to know the
    // informer has seen everything before it.
    for (let i = 0; i < 3; i++) {
      for (const name of ['n1', 'n2']) await admin.patch(R.Node, name, { status: { conditions: [{ type: 'Ready', status: 'True', lastHeartbeatTime: `2026-01-01T00:00:0${i + 1}Z` }] } }, { subresource: 'status' });
    }
    await admin.patch(R.Node, 'n2', { status: { addresses: [{ type: 'InternalIP', address: '192.0.2.22' }] } }, { subresource: 'status' });
    await until('a sync for the new address', () => syncs.length >= 2);
    await sleep(300);
    expect(syncs).toEqual([
      [{ cidr: '10.244.2.0/24', via: '192.0.2.2', node: 'n2' }],
      [{ cidr: '10.244.2.0/24', via: '192.0.2.22', node: 'n2' }],
    ]);
  } finally {
    await reconciler.stop();
  }
});
