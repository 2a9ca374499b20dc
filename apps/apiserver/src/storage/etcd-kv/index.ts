export { EtcdKvClient } from './kv-client';
export { GrpcError } from './grpc-h2';
export type { KeyValue, RangeRequest, RangeResponse, TxnRequest, TxnResponse, RequestOp, Compare } from './messages';
export { EtcdWatchClient, COMPACTED_MESSAGE } from './watch-client';
export type { EtcdWatch, WatchHandlers } from './watch-client';
export type { WatchEvent, WatchCreateRequest } from './messages';
