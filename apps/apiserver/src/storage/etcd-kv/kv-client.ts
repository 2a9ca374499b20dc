// etcd's KV service (Range, Txn, Compact) and the Maintenance calls the API server makes
// (Status, Alarm, Defragment), over GrpcH2Client with the hand-written codecs.
import { GrpcH2Client } from './grpc-h2';
import {
  decodeAlarmResponse, decodeRangeResponse, decodeStatusResponse, decodeTxnResponse, encodeCompactionRequest, encodeRangeRequest, encodeTxnRequest,
  RangeRequest, RangeResponse, StatusResponse, TxnRequest, TxnResponse,
} from './messages';

const EMPTY = Buffer.alloc(0);

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

  /** Drops history before `revision`; physical waits until it is removed from the backend. */
  async compact(revision: number, physical = true): Promise<void> {
    await this.grpc.unary('/etcdserverpb.KV/Compact', encodeCompactionRequest(revision, physical));
  }

  /** The member's status (of the member this client talks to). */
  async status(): Promise<StatusResponse> {
    return decodeStatusResponse(await this.grpc.unary('/etcdserverpb.Maintenance/Status', EMPTY));
  }

  /** Raised alarms (an empty AlarmRequest is action GET for every member). */
  async alarms(): Promise<string[]> {
    return decodeAlarmResponse(await this.grpc.unary('/etcdserverpb.Maintenance/Alarm', EMPTY)).map((a) => a.alarm).filter((a) => a !== 'NONE');
  }

  /** Defragments the member this client talks to. */
  async defragment(): Promise<void> {
    await this.grpc.unary('/etcdserverpb.Maintenance/Defragment', EMPTY);
  }

  close(): void {
    this.grpc.close();
  }
}
