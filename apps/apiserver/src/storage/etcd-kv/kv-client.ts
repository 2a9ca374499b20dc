// etcd's KV service (Range, Txn) over GrpcH2Client with the hand-written codecs.
import { GrpcH2Client } from './grpc-h2';
import { decodeRangeResponse, decodeTxnResponse, encodeRangeRequest, encodeTxnRequest, RangeRequest, RangeResponse, TxnRequest, TxnResponse } from './messages';

export class EtcdKvClient {
  private readonly grpc: GrpcH2Client;

  constructor(endpoints: string[]) {
    this.grpc = new GrpcH2Client(endpoints);
  }

  async range(request: RangeRequest): Promise<RangeResponse> {
    return decodeRangeResponse(await this.grpc.unary('/etcdserverpb.KV/Range', encodeRangeRequest(request)));
  }

  async txn(request: TxnRequest): Promise<TxnResponse> {
    return decodeTxnResponse(await this.grpc.unary('/etcdserverpb.KV/Txn', encodeTxnRequest(request)));
  }

  close(): void {
    this.grpc.close();
  }
}
