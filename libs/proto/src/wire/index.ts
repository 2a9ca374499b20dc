// @coxswain/proto/wire: protobuf's wire format by hand (varints, length-delimited fields) and
// gRPC's message framing and status codes, shared by the node agent's codecs and the API server's etcd client.
export { Reader, Writer } from './protobuf';
export { encodeFrame, FrameSplitter } from './grpc-frame';
export { Status } from './grpc-status';
