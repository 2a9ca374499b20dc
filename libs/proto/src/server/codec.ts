// node_agent.proto's methods with codecs that decode and encode as @grpc/proto-loader's do
// (camelCase fields, 64-bit numbers as strings, defaults filled in, a oneof's member named in
// its own field), from the hand-written table of ./schema rather than protobufjs: protobufjs
// and long cost the agent ~3.5 MB of RSS.
import { messageCodecs } from './message-codec';
import { MESSAGES, PACKAGE, SERVICE } from './schema';

export interface MethodCodec {
  /** `/coxswain.node.v1.NodeAgent/PortForward` */
  path: string;
  /** The handler's name: the method's, lower camel case (`portForward`). */
  handler: string;
  requestStream: boolean;
  responseStream: boolean;
  decode(message: Uint8Array): unknown;
  encode(message: unknown): Uint8Array;
}

/** The service's methods, by request path. */
export function loadMethods(): Map<string, MethodCodec> {
  const codecs = messageCodecs(MESSAGES, PACKAGE);
  const methods = new Map<string, MethodCodec>();
  for (const method of SERVICE.methods) {
    const request = codecs.get(method.request)!;
    const response = codecs.get(method.response)!;
    const path = `/${PACKAGE}.${SERVICE.name}/${method.name}`;
    methods.set(path, {
      path,
      handler: method.name.charAt(0).toLowerCase() + method.name.slice(1),
      requestStream: method.requestStream,
      responseStream: method.responseStream,
      decode: (message) => request.decode(message),
      encode: (message) => response.encode(message),
    });
  }
  return methods;
}
