// etcd's KV messages (etcdserverpb.RangeRequest/TxnRequest and their responses, mvccpb.KeyValue)
// as plain values, with their hand-written codecs: protobufjs' reflective codec and grpc-js'
// call stack cost the API server as much CPU per write as etcd spends on the whole transaction
// (apiserver README). Field numbers are etcd's; 64-bit integers are JS numbers (revisions stay
// far below 2^53).
import { Reader, Writer } from '@coxswain/proto/wire';

export interface KeyValue {
  key: Buffer;
  value: Buffer;
  create_revision: number;
  mod_revision: number;
  version: number;
  lease: number;
}

export interface RangeRequest {
  key: string;
  /** Exclusive end of a range; absent for one key. */
  rangeEnd?: string | Buffer;
  limit?: number;
  /** Read at this revision (0 or absent: the current one). */
  revision?: number;
  /** Keys only, no values. */
  keysOnly?: boolean;
}

export interface RangeResponse {
  revision: number;
  kvs: KeyValue[];
  more: boolean;
  count: number;
}

export type CompareTarget = 'Version' | 'Create' | 'Mod';
export type CompareResult = '==' | '>' | '<' | '!=';

export interface Compare {
  key: string;
  target: CompareTarget;
  result: CompareResult;
  value: number;
}

export type RequestOp = { range: RangeRequest } | { put: { key: string; value: Buffer | string } } | { deleteRange: { key: string; rangeEnd?: string | Buffer } };

export interface TxnRequest {
  compare: Compare[];
  success: RequestOp[];
  failure?: RequestOp[];
}

export interface ResponseOp {
  range?: RangeResponse;
  put?: { revision: number };
  deleteRange?: { revision: number; deleted: number };
}

export interface TxnResponse {
  revision: number;
  succeeded: boolean;
  responses: ResponseOp[];
}

const RESULTS: Record<CompareResult, number> = { '==': 0, '>': 1, '<': 2, '!=': 3 };
// Compare.target and the field of its oneof target_union that carries the value.
const TARGETS: Record<CompareTarget, { target: number; field: number }> = { Version: { target: 0, field: 4 }, Create: { target: 1, field: 5 }, Mod: { target: 2, field: 6 } };

function writeRange(w: Writer, r: RangeRequest): void {
  w.bytes(1, r.key);
  if (r.rangeEnd !== undefined) w.bytes(2, r.rangeEnd);
  w.optionalUint(3, r.limit);
  w.optionalUint(4, r.revision);
  if (r.keysOnly) w.uint(8, 1);
}

export function encodeRangeRequest(r: RangeRequest): Buffer {
  const w = new Writer(64 + r.key.length * 2);
  writeRange(w, r);
  return w.finish();
}

function writeOp(w: Writer, field: number, op: RequestOp): void {
  w.message(field, (o) => {
    if ('range' in op) o.message(1, (m) => writeRange(m, op.range));
    else if ('put' in op) o.message(2, (m) => m.bytes(1, op.put.key).bytes(2, op.put.value));
    else
      o.message(3, (m) => {
        m.bytes(1, op.deleteRange.key);
        if (op.deleteRange.rangeEnd !== undefined) m.bytes(2, op.deleteRange.rangeEnd);
      });
  });
}

export function encodeTxnRequest(txn: TxnRequest): Buffer {
  const w = new Writer(512);
  for (const c of txn.compare) {
    const { target, field } = TARGETS[c.target];
    // The value is a oneof member: written even when 0 ("created == 0" means "does not exist").
    w.message(1, (m) => m.optionalUint(1, RESULTS[c.result]).optionalUint(2, target).bytes(3, c.key).uint(field, c.value));
  }
  for (const op of txn.success) writeOp(w, 2, op);
  for (const op of txn.failure ?? []) writeOp(w, 3, op);
  return w.finish();
}

/** ResponseHeader: only the revision is used. */
function readHeaderRevision(r: Reader): number {
  let revision = 0;
  while (!r.done()) {
    const [field, type] = r.tag();
    if (field === 3 && type === 0) revision = r.varint();
    else r.skip(type);
  }
  return revision;
}

function readKeyValue(r: Reader): KeyValue {
  const kv: KeyValue = { key: EMPTY, value: EMPTY, create_revision: 0, mod_revision: 0, version: 0, lease: 0 };
  while (!r.done()) {
    const [field, type] = r.tag();
    if (field === 1 && type === 2) kv.key = r.bytes();
    else if (field === 2 && type === 0) kv.create_revision = r.varint();
    else if (field === 3 && type === 0) kv.mod_revision = r.varint();
    else if (field === 4 && type === 0) kv.version = r.varint();
    else if (field === 5 && type === 2) kv.value = r.bytes();
    else if (field === 6 && type === 0) kv.lease = r.varint();
    else r.skip(type);
  }
  return kv;
}
const EMPTY = Buffer.alloc(0);

function readRange(r: Reader): RangeResponse {
  const res: RangeResponse = { revision: 0, kvs: [], more: false, count: 0 };
  while (!r.done()) {
    const [field, type] = r.tag();
    if (field === 1 && type === 2) res.revision = readHeaderRevision(r.sub());
    else if (field === 2 && type === 2) res.kvs.push(readKeyValue(r.sub()));
    else if (field === 3 && type === 0) res.more = r.varint() !== 0;
    else if (field === 4 && type === 0) res.count = r.varint();
    else r.skip(type);
  }
  return res;
}

export const decodeRangeResponse = (buf: Buffer): RangeResponse => readRange(new Reader(buf));

/** PutResponse or DeleteRangeResponse: the header's revision, and how many keys were deleted. */
function readWriteResponse(r: Reader): { revision: number; deleted: number } {
  let revision = 0;
  let deleted = 0;
  while (!r.done()) {
    const [field, type] = r.tag();
    if (field === 1 && type === 2) revision = readHeaderRevision(r.sub());
    else if (field === 2 && type === 0) deleted = r.varint();
    else r.skip(type);
  }
  return { revision, deleted };
}

function readResponseOp(r: Reader): ResponseOp {
  const op: ResponseOp = {};
  while (!r.done()) {
    const [field, type] = r.tag();
    if (type !== 2) r.skip(type);
    else if (field === 1) op.range = readRange(r.sub());
    else if (field === 2) op.put = { revision: readWriteResponse(r.sub()).revision };
    else if (field === 3) op.deleteRange = readWriteResponse(r.sub());
    else r.skip(type);
  }
  return op;
}

export function decodeTxnResponse(buf: Buffer): TxnResponse {
  const r = new Reader(buf);
  const res: TxnResponse = { revision: 0, succeeded: false, responses: [] };
  while (!r.done()) {
    const [field, type] = r.tag();
    if (field === 1 && type === 2) res.revision = readHeaderRevision(r.sub());
    else if (field === 2 && type === 0) res.succeeded = r.varint() !== 0;
    else if (field === 3 && type === 2) res.responses.push(readResponseOp(r.sub()));
    else r.skip(type);
  }
  return res;
}

export interface WatchCreateRequest {
  key: string;
  rangeEnd?: string | Buffer;
  /** First revision to deliver (0 or absent: from now). */
  startRevision?: number;
  /** Ask for each event's previous value. */
  prevKv?: boolean;
  /** Ask for progress notifications (empty responses carrying the revision reached). */
  progressNotify?: boolean;
}

export interface WatchEvent {
  type: 'PUT' | 'DELETE';
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface WatchResponse {
  revision: number;
  watchId: number;
  created: boolean;
  canceled: boolean;
  compactRevision: number;
  cancelReason: string;
  events: WatchEvent[];
}

export function encodeWatchCreateRequest(r: WatchCreateRequest): Buffer {
  const w = new Writer(128);
  // WatchRequest.create_request (field 1 of the request_union).
  w.message(1, (m) => {
    m.bytes(1, r.key);
    if (r.rangeEnd !== undefined) m.bytes(2, r.rangeEnd);
    m.optionalUint(3, r.startRevision);
    if (r.progressNotify) m.uint(4, 1);
    if (r.prevKv) m.uint(6, 1);
  });
  return w.finish();
}

function readEvent(r: Reader): WatchEvent {
  const event: WatchEvent = { type: 'PUT', kv: undefined as unknown as KeyValue };
  while (!r.done()) {
    const [field, type] = r.tag();
    if (field === 1 && type === 0) event.type = r.varint() === 1 ? 'DELETE' : 'PUT';
    else if (field === 2 && type === 2) event.kv = readKeyValue(r.sub());
    else if (field === 3 && type === 2) event.prevKv = readKeyValue(r.sub());
    else r.skip(type);
  }
  event.kv ??= { key: EMPTY, value: EMPTY, create_revision: 0, mod_revision: 0, version: 0, lease: 0 };
  return event;
}

export function decodeWatchResponse(buf: Buffer): WatchResponse {
  const r = new Reader(buf);
  const res: WatchResponse = { revision: 0, watchId: 0, created: false, canceled: false, compactRevision: 0, cancelReason: '', events: [] };
  while (!r.done()) {
    const [field, type] = r.tag();
    if (field === 1 && type === 2) res.revision = readHeaderRevision(r.sub());
    else if (field === 2 && type === 0) res.watchId = r.varint();
    else if (field === 3 && type === 0) res.created = r.varint() !== 0;
    else if (field === 4 && type === 0) res.canceled = r.varint() !== 0;
    else if (field === 5 && type === 0) res.compactRevision = r.varint();
    else if (field === 6 && type === 2) res.cancelReason = r.bytes().toString('utf8');
    else if (field === 11 && type === 2) res.events.push(readEvent(r.sub()));
    else r.skip(type);
  }
  return res;
}

/** CompactionRequest: drop history before `revision` (physical: wait until it is gone from disk). */
export function encodeCompactionRequest(revision: number, physical: boolean): Buffer {
  const w = new Writer(16).optionalUint(1, revision);
  if (physical) w.uint(2, 1);
  return w.finish();
}

export interface StatusResponse {
  version: string;
  /** Size of the database file, and the part of it in use (the rest is free pages). */
  dbSize: number;
  dbSizeInUse: number;
}

export function decodeStatusResponse(buf: Buffer): StatusResponse {
  const r = new Reader(buf);
  const res: StatusResponse = { version: '', dbSize: 0, dbSizeInUse: 0 };
  while (!r.done()) {
    const [field, type] = r.tag();
    if (field === 2 && type === 2) res.version = r.bytes().toString('utf8');
    else if (field === 3 && type === 0) res.dbSize = r.varint();
    else if (field === 9 && type === 0) res.dbSizeInUse = r.varint();
    else r.skip(type);
  }
  return res;
}

const ALARMS = ['NONE', 'NOSPACE', 'CORRUPT'];

/** AlarmResponse: the raised alarms, by name (etcd's AlarmType). */
export function decodeAlarmResponse(buf: Buffer): Array<{ memberId: number; alarm: string }> {
  const r = new Reader(buf);
  const alarms: Array<{ memberId: number; alarm: string }> = [];
  while (!r.done()) {
    const [field, type] = r.tag();
    if (field !== 2 || type !== 2) {
      r.skip(type);
      continue;
    }
    const m = r.sub();
    const member = { memberId: 0, alarm: 'NONE' };
    while (!m.done()) {
      const [f, t] = m.tag();
      if (f === 1 && t === 0) member.memberId = m.varint();
      else if (f === 2 && t === 0) {
        const code = m.varint();
        member.alarm = ALARMS[code] ?? `ALARM_${code}`;
      } else m.skip(t);
    }
    alarms.push(member);
  }
  return alarms;
}
