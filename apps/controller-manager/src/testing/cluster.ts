// For integration specs (which start etcd and the API server with @coxswain/harness): an
// admin client for the test's own moves, a controller client for the controllers, and
// helpers to play the node agent's part (marking pods running and ready) where none runs.
import { randomBytes } from 'node:crypto';
import { KubeObject, Pod } from '@coxswain/api';
import { BUILTIN_RESOURCES as R, createLogger, KubeClient, Logger } from '@coxswain/client';
import { rfc3339 } from '../framework/time';

/** The parts of the harness's RunningApiServerHarness these helpers need. */
export interface ApiEndpoint {
  url: string;
  tokens: { admin: string; controller: string };
  /** CA of an HTTPS server (kubectl sends tokens only over TLS). */
  ca?: string;
}

export interface TestClients {
  admin: KubeClient;
  controller: KubeClient;
  logger: Logger;
  close(): Promise<void>;
}

export function testClients(api: ApiEndpoint): TestClients {
  const admin = new KubeClient({ server: api.url, token: api.tokens.admin, ca: api.ca });
  const controller = new KubeClient({ server: api.url, token: api.tokens.controller, ca: api.ca, qps: 200, burst: 400 });
  const logger = createLogger('controller-manager-test', { level: process.env.LOG_LEVEL ?? 'warn' });
  return {
    admin,
    controller,
    logger,
    async close() {
      await admin.destroy().catch(() => undefined);
      await controller.destroy().catch(() => undefined);
    },
  };
}

export const suffix = (): string => randomBytes(3).toString('hex');

export async function createNamespace(client: KubeClient, prefix: string): Promise<string> {
  const name = `${prefix}-${suffix()}`;
  await client.create(R.Namespace, { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  return name;
}

/** Polls until `fn` returns a value other than undefined/false; fails with `what` after the timeout. */
export async function eventually<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value as T;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** Plays the node agent: the pod runs and is Ready (status subresource, admin token). */
export async function markPodReady(client: KubeClient, pod: Pod, nodeName?: string): Promise<void> {
  const now = rfc3339(Date.now());
  if (nodeName && !pod.spec.nodeName) await client.bind(R.Pod, pod.metadata.namespace!, pod.metadata.name!, nodeName);
  await client.patch(
    R.Pod,
    pod.metadata.name!,
    {
      status: {
        phase: 'Running',
        startTime: now,
        conditions: [
          { type: 'PodScheduled', status: 'True', lastTransitionTime: now },
          { type: 'Ready', status: 'True', lastTransitionTime: now },
        ],
      },
    },
    { namespace: pod.metadata.namespace, subresource: 'status' },
  );
}

export async function listPods(client: KubeClient, namespace: string, labelSelector?: string): Promise<Pod[]> {
  return (await client.list<Pod>(R.Pod, { namespace, labelSelector })).items;
}

export const names = (objs: KubeObject[]): string[] => objs.map((o) => o.metadata.name!).sort();

export interface FakeKubelet {
  /** Fewest ready, not-deleting pods seen since the last resetWatermark(). */
  minReady(): number;
  resetWatermark(): void;
  stop(): Promise<void>;
}

/**
 * Marks every pod of a namespace Running and Ready shortly after it appears, as a node
 * agent would, and samples how many pods were ready at each pass.
 */
export function startFakeKubelet(client: KubeClient, namespace: string, intervalMs = 100): FakeKubelet {
  let stopped = false;
  let watermark = Number.POSITIVE_INFINITY;
  const loop = (async () => {
    while (!stopped) {
      try {
        const pods = await listPods(client, namespace);
        const live = pods.filter((p) => !p.metadata.deletionTimestamp);
        const ready = live.filter((p) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
        watermark = Math.min(watermark, ready.length);
        for (const pod of live) if (!ready.includes(pod) && pod.status?.phase !== 'Failed') await markPodReady(client, pod).catch(() => undefined);
      } catch {
        // The namespace may be going away; keep polling until stopped.
      }
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    minReady: () => watermark,
    resetWatermark: () => {
      watermark = Number.POSITIVE_INFINITY;
    },
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

export interface FakeNode {
  name: string;
  /** Stops renewing the Lease and the Ready heartbeat (a frozen or cut-off agent). */
  freeze(): Promise<void>;
}

/**
 * Registers a Node (Ready, with capacity) and its Lease in kube-node-lease, and renews the
 * Lease every `renewMs` the way a node agent does, until frozen.
 */
export async function startFakeNode(client: KubeClient, name: string, renewMs = 300): Promise<FakeNode> {
  const stamp = () => new Date().toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
  const now = rfc3339(Date.now());
  await client.create(R.Node, {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name } },
    spec: {},
    status: {
      capacity: { cpu: '2', memory: '4Gi', pods: '110' },
      allocatable: { cpu: '2', memory: '4Gi', pods: '110' },
      conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', lastHeartbeatTime: now, lastTransitionTime: now }],
    },
  } as KubeObject);
  await client.create(R.Lease, {
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace: 'kube-node-lease' },
    spec: { holderIdentity: name, leaseDurationSeconds: 40, renewTime: stamp() },
  } as KubeObject);
  let frozen = false;
  const loop = (async () => {
    while (!frozen) {
      await new Promise((r) => setTimeout(r, renewMs));
      if (frozen) break;
      await client.patch(R.Lease, name, { spec: { renewTime: stamp() } }, { namespace: 'kube-node-lease' }).catch(() => undefined);
    }
  })();
  return {
    name,
    async freeze() {
      frozen = true;
      await loop;
    },
  };
}
