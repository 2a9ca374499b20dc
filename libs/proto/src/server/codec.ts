// node_agent.proto's methods with the codecs @grpc/proto-loader would build for them, from
// protobufjs directly: the same parse options and the same toObject/fromObject calls, so
// handlers see the very objects a grpc-js server gave them (camelCase fields, 64-bit numbers
// as strings, enums as names, defaults filled in, a oneof's member named in its own field).
import { IConversionOptions, Namespace, NamespaceBase, Root, Service } from 'protobufjs';
import { NODE_AGENT_PROTO } from '../proto-file';

const DECODE_OPTIONS: IConversionOptions = { longs: String, enums: String, defaults: true, oneofs: true };

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

function services(namespace: NamespaceBase): Service[] {
  return namespace.nestedArray.flatMap((o) => (o instanceof Service ? [o] : o instanceof Namespace ? services(o) : []));
}

/** The methods of every service in `protoFile`, by request path. */
export function loadMethods(protoFile = NODE_AGENT_PROTO): Map<string, MethodCodec> {
  const root = new Root().loadSync(protoFile, { keepCase: false });
  root.resolveAll();
  const methods = new Map<string, MethodCodec>();
  for (const service of services(root)) {
    for (const method of service.methodsArray) {
      const request = method.resolvedRequestType!;
      const response = method.resolvedResponseType!;
      const path = `/${service.fullName.replace(/^\./, '')}/${method.name}`;
      methods.set(path, {
        path,
        handler: method.name.charAt(0).toLowerCase() + method.name.slice(1),
        requestStream: Boolean(method.requestStream),
        responseStream: Boolean(method.responseStream),
        decode: (message) => request.toObject(request.decode(message), DECODE_OPTIONS),
        encode: (message) => response.encode(response.fromObject(message as Record<string, unknown>)).finish(),
      });
    }
  }
  return methods;
}
