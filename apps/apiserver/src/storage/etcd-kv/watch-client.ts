// etcd watches, one HTTP/2 stream each (no watch ids to share a stream: a cancellation can
// never be taken for another watcher's), on a connection of their own so a burst of events
// does not delay the KV calls.
import { constants } from 'node:http2';
import { FrameSplitter, GrpcError, GrpcH2Client, statusOf } from './grpc-h2';
import { decodeWatchResponse, encodeWatchCreateRequest, WatchCreateRequest, WatchEvent } from './messages';
import { encodeFrame } from '@coxswain/proto/wire';

export interface WatchHandlers {
  /** Events in revision order, as etcd batched them. */
  onEvents(events: WatchEvent[]): void;
  /** Every event up to this revision has been delivered. */
  onProgress(revision: number): void;
  /** The watch ended without being cancelled here (compaction, lost connection); it delivers nothing more. */
  onError(error: Error): void;
}

export interface EtcdWatch {
  cancel(): void;
}

/** What etcd says when the start revision is gone (worded as its unary calls word it). */
export const COMPACTED_MESSAGE = 'etcdserver: mvcc: required revision has been compacted';

export class EtcdWatchClient {
  private readonly grpc: GrpcH2Client;

  constructor(endpoints: string[]) {
    this.grpc = new GrpcH2Client(endpoints);
  }

  /** Resolves once etcd has created the watch (rejects if it refuses it). */
  async watch(request: WatchCreateRequest, handlers: WatchHandlers): Promise<EtcdWatch> {
    const stream = await this.grpc.open('/etcdserverpb.Watch/Watch');
    return new Promise<EtcdWatch>((resolve, reject) => {
      const splitter = new FrameSplitter();
      const status = statusOf(stream);
      let created = false;
      let ended = false;
      const handle: EtcdWatch = {
        cancel: () => {
          if (ended) return;
          ended = true;
          stream.close(constants.NGHTTP2_CANCEL);
        },
      };
      const fail = (error: Error) => {
        if (ended) return;
        ended = true;
        stream.close(constants.NGHTTP2_CANCEL);
        if (created) handlers.onError(error);
        else reject(error);
      };
      stream.on('data', (chunk: Buffer) => {
        try {
          for (const message of splitter.push(chunk)) {
            if (ended) return;
            const res = decodeWatchResponse(message);
            if (res.canceled) {
              fail(new GrpcError(11, res.compactRevision > 0 ? `${COMPACTED_MESSAGE} (compact revision ${res.compactRevision})` : res.cancelReason || 'watch cancelled by etcd'));
              return;
            }
            if (res.created && !created) {
              created = true;
              resolve(handle);
            }
            if (res.events.length) handlers.onEvents(res.events);
            else if (!res.created && res.revision) handlers.onProgress(res.revision);
          }
        } catch (error) {
          fail(error as Error);
        }
      });
      stream.on('error', (error) => fail(new GrpcError(14, error.message)));
      stream.on('close', () => fail(status.error() ?? new GrpcError(14, 'watch stream ended')));
      stream.write(encodeFrame(encodeWatchCreateRequest({ ...request })));
    });
  }

  close(): void {
    this.grpc.close();
  }
}
