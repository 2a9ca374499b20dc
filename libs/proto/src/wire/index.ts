// @coxswain/proto/wire: protobuf's wire format by hand (varints, length-delimited fields) and
// gRPC's message framing, shared by the node agent's codecs and the API server's etcd client.
export { Reader, Writer } from './protobuf';
export { encodeFrame } from './grpc-frame';
