// @coxswain/proto/wire: protobuf's wire format by hand (varints, length-delimited fields),
// shared by the node agent's codecs and the API server's etcd client.
export { Reader, Writer } from './protobuf';
