// Finds and caches the gRPC client of the node agent a workload runs on.
import { KubeObject, resourceForKind, serviceUnavailable, StatusError, badRequest } from '@coxswain/api';
import type { NodeAgentClient, TlsFiles } from '@coxswain/proto';
import { ObjectStore } from '../storage/object-store';

// grpc-js and proto-loader load with the first stream to a node agent: about 5 MB of heap
// (29 MB RSS in a bare process) that an API server nobody execs through does not carry.
type Proto = typeof import('@coxswain/proto');
let proto: Promise<Proto> | undefined;
const loadProto = (): Promise<Proto> => (proto ??= import('@coxswain/proto'));

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const NODES = resourceForKind('Node')!;

/** How long a stream waits for a node agent's connection before answering 503 (a black-holed node). */
export const AGENT_CONNECT_TIMEOUT_MS = 2000;

// A channel of its own per agent (no global subchannel pool, short reconnect back-off), so an
// agent that comes back is reachable again at once rather than after grpc's back-off.
const CHANNEL_OPTIONS = {
  'grpc.keepalive_time_ms': 30_000,
  'grpc.use_local_subchannel_pool': 1,
  'grpc.initial_reconnect_backoff_ms': 200,
  'grpc.max_reconnect_backoff_ms': 2000,
};

export class NodeClients {
  private readonly clients = new Map<string, NodeAgentClient>();

  constructor(
    private readonly store: ObjectStore,
    private readonly tls?: TlsFiles,
  ) {}

  /** `host:port` of a node agent from its Node object (InternalIP + daemon endpoint). */
  static addressOf(node: KubeObject): string | undefined {
    const n = node as Obj;
    const ip = n.status?.addresses?.find((a: Obj) => a.type === 'InternalIP')?.address;
    const port = n.status?.daemonEndpoints?.kubeletEndpoint?.Port;
    return ip && port ? `${ip.includes(':') ? `[${ip}]` : ip}:${port}` : undefined;
  }

  async forNode(nodeName: string): Promise<NodeAgentClient> {
    const node = await this.store.get(NODES, undefined, nodeName);
    if (!node) throw serviceUnavailable(`node "${nodeName}" is not registered`);
    const address = NodeClients.addressOf(node);
    if (!address) throw serviceUnavailable(`node "${nodeName}" publishes no agent endpoint`);
    const { clientCredentials, createNodeAgentClient } = await loadProto();
    let client = this.clients.get(address);
    if (!client) {
      client = createNodeAgentClient(address, clientCredentials(this.tls), CHANNEL_OPTIONS);
      this.clients.set(address, client);
    }
    return client;
  }

  /**
   * The client of a node's agent once its channel is connected, or a 503 within `timeoutMs`:
   * refused connections fail as soon as the channel reports it, silent ones at the deadline.
   * A channel that had failed before is replaced first, so a restarted agent is found again.
   */
  async connected(nodeName: string, timeoutMs = AGENT_CONNECT_TIMEOUT_MS): Promise<NodeAgentClient> {
    let client = await this.forNode(nodeName);
    const { connectivityState } = await loadProto();
    const address = [...this.clients.entries()].find(([, c]) => c === client)?.[0];
    if (client.getChannel().getConnectivityState(false) === connectivityState.TRANSIENT_FAILURE && address) {
      client.close();
      this.clients.delete(address);
      client = await this.forNode(nodeName);
    }
    const outcome = await waitConnected(client, connectivityState, Date.now() + timeoutMs);
    if (outcome !== 'ready') throw serviceUnavailable(`error dialing backend: the node agent of node "${nodeName}" at ${address ?? '?'} is ${outcome === 'failed' ? 'refusing connections' : 'not answering'}`);
    return client;
  }

  /** The connected agent of the node a workload is bound to, or a 400 like Kubernetes gives for an unscheduled pod. */
  async forWorkload(obj: KubeObject): Promise<{ client: NodeAgentClient; nodeName: string }> {
    const nodeName = (obj as Obj).spec?.nodeName ?? (obj as Obj).status?.nodeName;
    if (!nodeName) throw badRequest(`${(obj.kind ?? 'pod').toLowerCase()} ${obj.metadata.name} does not have a host assigned`);
    return { client: await this.connected(nodeName), nodeName };
  }

  async nodes(): Promise<KubeObject[]> {
    return (await this.store.list(NODES, {})).items;
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }
}

/** Follows a channel's state until it is READY ('ready'), fails ('failed') or the deadline passes ('timeout'). */
function waitConnected(client: NodeAgentClient, connectivityState: Proto['connectivityState'], deadline: number): Promise<'ready' | 'failed' | 'timeout'> {
  const channel = client.getChannel();
  return new Promise((resolve) => {
    const step = () => {
      const state = channel.getConnectivityState(true);
      if (state === connectivityState.READY) return resolve('ready');
      if (state === connectivityState.TRANSIENT_FAILURE || state === connectivityState.SHUTDOWN) return resolve('failed');
      if (Date.now() >= deadline) return resolve('timeout');
      channel.watchConnectivityState(state, deadline, (error) => (error ? resolve('timeout') : step()));
    };
    step();
  });
}

/** Maps a gRPC error from an agent to a Status. */
export function grpcToStatus(error: unknown): StatusError {
  const e = error as { code?: number; details?: string; message?: string };
  const message = e.details || e.message || String(error);
  const build = (code: number, reason: string) => new StatusError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', code, reason, message });
  switch (e.code) {
    case 3: // INVALID_ARGUMENT
    case 9: // FAILED_PRECONDITION
      return build(400, 'BadRequest');
    case 5: // NOT_FOUND
      return build(404, 'NotFound');
    case 12: // UNIMPLEMENTED
      return build(501, 'NotImplemented');
    case 14: // UNAVAILABLE
    case 4: // DEADLINE_EXCEEDED
      return build(503, 'ServiceUnavailable');
    default:
      return build(500, 'InternalError');
  }
}
