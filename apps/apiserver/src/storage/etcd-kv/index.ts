export { EtcdKvClient } from './kv-client';
export { GrpcError } from './grpc-h2';
export type { KeyValue, RangeRequest, RangeResponse, TxnRequest, TxnResponse, RequestOp, Compare } from './messages';
