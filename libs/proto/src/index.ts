export * from './types';
export { NODE_AGENT_PROTO, createNodeAgentClient, nodeAgentService, type NodeAgentClient } from './node-agent';
export { clientCredentials, type TlsFiles } from './credentials';
export { connectivityState } from '@grpc/grpc-js';
