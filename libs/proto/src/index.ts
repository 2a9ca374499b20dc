export * from './types';
export {
  NODE_AGENT_PROTO, addNodeAgentService, createNodeAgentClient, nodeAgentService,
  type NodeAgentClient, type NodeAgentHandlers,
} from './node-agent';
export { clientCredentials, requireClientNames, rotatingServerCredentials, serverCredentials, type RotatingServerCredentials, type TlsFiles } from './credentials';
export { connectivityState } from '@grpc/grpc-js';
