// @coxswain/proto/server: the node agent's side of the API, without grpc-js, proto-loader or
// protobufjs (imports.spec.ts in apps/node-agent keeps it so).
export { Status, statusError, statusOf, type StatusError, type StatusObject } from './status';
export type { BidiStreamingCall, ServerStreamingCall, UnaryCall, UnaryCallback } from './call';
export { startNodeAgentServer, type NodeAgentHandlers, type NodeAgentServer, type NodeAgentServerOptions, type ServerTls } from './server';
export * from '../types';
