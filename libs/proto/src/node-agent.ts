// The API server's side of the node agent's API: grpc-js and proto-loader. The agent serves it
// without either (./server, @coxswain/proto/server).
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { NODE_AGENT_PROTO } from './proto-file';
import type {
  ConsoleInput, ConsoleOutput, ExecInput, ExecOutput, LogChunk, LogsRequest, PortForwardInput, PortForwardOutput, StatsRequest, StatsResponse,
} from './types';

export { NODE_AGENT_PROTO };

const LOADER_OPTIONS: protoLoader.Options = {
  keepCase: false,
  longs: String,
  enums: String,
  defaults: true,
  oneofs: true,
};

/** The typed client the API server uses to reach a node agent. */
export interface NodeAgentClient extends grpc.Client {
  logs(request: LogsRequest, options?: grpc.CallOptions): grpc.ClientReadableStream<LogChunk>;
  exec(options?: grpc.CallOptions): grpc.ClientDuplexStream<ExecInput, ExecOutput>;
  console(options?: grpc.CallOptions): grpc.ClientDuplexStream<ConsoleInput, ConsoleOutput>;
  attach(options?: grpc.CallOptions): grpc.ClientDuplexStream<ExecInput, ExecOutput>;
  portForward(options?: grpc.CallOptions): grpc.ClientDuplexStream<PortForwardInput, PortForwardOutput>;
  stats(
    request: StatsRequest,
    options: grpc.CallOptions,
    callback: (error: grpc.ServiceError | null, response?: StatsResponse) => void,
  ): grpc.ClientUnaryCall;
}

interface LoadedService {
  service: grpc.ServiceDefinition;
  Client: new (address: string, credentials: grpc.ChannelCredentials, options?: grpc.ClientOptions) => NodeAgentClient;
}

let loaded: LoadedService | undefined;

/** Loads node_agent.proto once per process. */
export function nodeAgentService(): LoadedService {
  if (!loaded) {
    const definition = protoLoader.loadSync(NODE_AGENT_PROTO, LOADER_OPTIONS);
    const pkg = grpc.loadPackageDefinition(definition) as unknown as {
      coxswain: { node: { v1: { NodeAgent: grpc.ServiceClientConstructor } } };
    };
    const ctor = pkg.coxswain.node.v1.NodeAgent;
    loaded = { service: ctor.service, Client: ctor as unknown as LoadedService['Client'] };
  }
  return loaded;
}

/** Creates a client for the node agent at `address` (host:port). */
export function createNodeAgentClient(
  address: string,
  credentials: grpc.ChannelCredentials,
  options?: grpc.ClientOptions,
): NodeAgentClient {
  const { Client } = nodeAgentService();
  return new Client(address, credentials, options);
}
