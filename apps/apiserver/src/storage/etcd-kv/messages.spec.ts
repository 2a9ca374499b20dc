// The hand-written codecs against protobufjs reading etcd's own .proto files (those etcd3
// ships): every request we encode decodes there to the same fields, and every response encoded
// there decodes here to the same values.
import { join } from 'node:path';
import protobuf from 'protobufjs';
import { FrameSplitter } from './grpc-h2';
import { decodeAlarmResponse, decodeRangeResponse, decodeStatusResponse, decodeTxnResponse, decodeWatchResponse, encodeCompactionRequest, encodeRangeRequest, encodeTxnRequest, encodeWatchCreateRequest, RangeRequest, TxnRequest } from './messages';
import { encodeFrame } from '@coxswain/proto/wire';

const root = protobuf.loadSync(join(require.resolve('etcd3/package.json'), '..', 'proto', 'rpc.proto'));
const type = (name: string) => root.lookupType(`etcdserverpb.${name}`);
const plain = (name: string, bytes: Buffer) => type(name).toObject(type(name).decode(bytes), { longs: Number, bytes: String, defaults: false, oneofs: true });
const b64 = (s: string) => Buffer.from(s).toString('base64');

describe('encodeRangeRequest', () => {
  it.each<[string, RangeRequest, object]>([
    ['one key', { key: '/registry/pods/default/a' }, { key: b64('/registry/pods/default/a') }],
    ['a page of a range at a revision', { key: '/registry/pods/', rangeEnd: '/registry/pods0', limit: 1001, revision: 123456789012 }, { key: b64('/registry/pods/'), rangeEnd: b64('/registry/pods0'), limit: 1001, revision: 123456789012 }],
    ['unicode key', { key: '/registry/configmaps/名前/x' }, { key: b64('/registry/configmaps/名前/x') }],
  ])('%s', (_name, request, expected) => {
    expect(plain('RangeRequest', encodeRangeRequest(request))).toEqual(expected);
  });
});

describe('encodeTxnRequest', () => {
  const big = 'x'.repeat(70_000);
  it.each<[string, TxnRequest, object]>([
    [
      'create: created == 0 is written although 0',
      { compare: [{ key: 'k', target: 'Create', result: '==', value: 0 }], success: [{ put: { key: 'k', value: '{"a":1}' } }] },
      { compare: [{ key: b64('k'), createRevision: 0, targetUnion: 'createRevision', target: 1 }], success: [{ requestPut: { key: b64('k'), value: b64('{"a":1}') }, request: 'requestPut' }] },
    ],
    [
      'guarded update with a read on failure, large value',
      { compare: [{ key: 'k', target: 'Mod', result: '==', value: 42 }], success: [{ put: { key: 'k', value: Buffer.from(big) } }], failure: [{ range: { key: 'k' } }] },
      { compare: [{ key: b64('k'), modRevision: 42, targetUnion: 'modRevision', target: 2 }], success: [{ requestPut: { key: b64('k'), value: b64(big) }, request: 'requestPut' }], failure: [{ requestRange: { key: b64('k') }, request: 'requestRange' }] },
    ],
    [
      'delete of whatever exists',
      { compare: [{ key: 'k', target: 'Create', result: '>', value: 0 }, { key: 'v', target: 'Version', result: '!=', value: 3 }], success: [{ range: { key: 'k' } }, { deleteRange: { key: 'k', rangeEnd: 'l' } }], failure: [] },
      {
        compare: [{ key: b64('k'), createRevision: 0, targetUnion: 'createRevision', target: 1, result: 1 }, { key: b64('v'), version: 3, targetUnion: 'version', result: 3 }],
        success: [{ requestRange: { key: b64('k') }, request: 'requestRange' }, { requestDeleteRange: { key: b64('k'), rangeEnd: b64('l') }, request: 'requestDeleteRange' }],
      },
    ],
  ])('%s', (_name, request, expected) => {
    expect(plain('TxnRequest', encodeTxnRequest(request))).toEqual(expected);
  });
});

describe('decoders', () => {
  const kv = (key: string, mod: number) => ({ key: Buffer.from(key), value: Buffer.from(`{"k":"${key}"}`), createRevision: 7, modRevision: mod, version: 2, lease: 0 });
  const encode = (name: string, value: object) => Buffer.from(type(name).encode(type(name).fromObject(value)).finish());

  it('reads a range response: revision, every key-value, more, count', () => {
    const bytes = encode('RangeResponse', { header: { clusterId: 99, memberId: 12345678901234, revision: 2 ** 40 + 3, raftTerm: 4 }, kvs: [kv('/a', 10), kv('/b', 2 ** 33)], more: true, count: 5 });
    const res = decodeRangeResponse(bytes);
    expect({ ...res, kvs: res.kvs.map((k) => ({ ...k, key: k.key.toString(), value: k.value.toString() })) }).toEqual({
      revision: 2 ** 40 + 3,
      more: true,
      count: 5,
      kvs: [
        { key: '/a', value: '{"k":"/a"}', create_revision: 7, mod_revision: 10, version: 2, lease: 0 },
        { key: '/b', value: '{"k":"/b"}', create_revision: 7, mod_revision: 2 ** 33, version: 2, lease: 0 },
      ],
    });
  });

  it('reads an empty range response (a missing key)', () => {
    expect(decodeRangeResponse(encode('RangeResponse', { header: { revision: 8 } }))).toEqual({ revision: 8, kvs: [], more: false, count: 0 });
  });

  it('reads a txn response: succeeded, each op', () => {
    const bytes = encode('TxnResponse', {
      header: { revision: 77 },
      succeeded: true,
      responses: [{ responseRange: { header: { revision: 77 }, kvs: [kv('/k', 70)], count: 1 } }, { responseDeleteRange: { header: { revision: 77 }, deleted: 1 } }, { responsePut: { header: { revision: 77 } } }],
    });
    const res = decodeTxnResponse(bytes);
    expect(res.succeeded).toBe(true);
    expect(res.revision).toBe(77);
    expect(res.responses.map((r) => Object.keys(r)[0])).toEqual(['range', 'deleteRange', 'put']);
    expect(res.responses[0].range?.kvs[0].mod_revision).toBe(70);
    expect(res.responses[1].deleteRange).toEqual({ revision: 77, deleted: 1 });
  });

  it('reads a failed txn (succeeded left out as proto3 false)', () => {
    expect(decodeTxnResponse(encode('TxnResponse', { header: { revision: 5 }, responses: [{ responseRange: { header: { revision: 5 } } }] }))).toEqual({ revision: 5, succeeded: false, responses: [{ range: { revision: 5, kvs: [], more: false, count: 0 } }] });
  });

  it('refuses a truncated message instead of reading past it', () => {
    const bytes = encode('RangeResponse', { header: { revision: 8 }, kvs: [kv('/a', 10)] });
    expect(() => decodeRangeResponse(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated/);
  });
});

describe('watch messages', () => {
  const encode = (name: string, value: object) => Buffer.from(type(name).encode(type(name).fromObject(value)).finish());

  it('encodes a create request with its flags', () => {
    expect(plain('WatchRequest', encodeWatchCreateRequest({ key: '/registry/pods/', rangeEnd: '/registry/pods0', startRevision: 2 ** 35, prevKv: true, progressNotify: true }))).toEqual({
      createRequest: { key: b64('/registry/pods/'), rangeEnd: b64('/registry/pods0'), startRevision: 2 ** 35, prevKv: true, progressNotify: true },
      requestUnion: 'createRequest',
    });
    expect(plain('WatchRequest', encodeWatchCreateRequest({ key: '/k' }))).toEqual({ createRequest: { key: b64('/k') }, requestUnion: 'createRequest' });
  });

  it('decodes events (put, delete with its previous value), creation, progress and cancellation', () => {
    const kv = (key: string, mod: number) => ({ key: Buffer.from(key), value: Buffer.from('v'), createRevision: 3, modRevision: mod, version: 1 });
    const events = decodeWatchResponse(encode('WatchResponse', { header: { revision: 9 }, watchId: 0, events: [{ type: 0, kv: kv('/a', 8) }, { type: 1, kv: { key: Buffer.from('/b'), modRevision: 9 }, prevKv: kv('/b', 4) }] }));
    expect(events.events.map((e) => [e.type, e.kv.key.toString(), e.kv.mod_revision, e.prevKv?.mod_revision])).toEqual([
      ['PUT', '/a', 8, undefined],
      ['DELETE', '/b', 9, 4],
    ]);
    expect(decodeWatchResponse(encode('WatchResponse', { header: { revision: 2 }, watchId: 7, created: true }))).toMatchObject({ created: true, watchId: 7, events: [] });
    expect(decodeWatchResponse(encode('WatchResponse', { header: { revision: 12 } }))).toMatchObject({ revision: 12, created: false, canceled: false, events: [] });
    expect(decodeWatchResponse(encode('WatchResponse', { header: { revision: 12 }, canceled: true, compactRevision: 11, cancelReason: 'compacted' }))).toMatchObject({ canceled: true, compactRevision: 11, cancelReason: 'compacted' });
  });
});

describe('FrameSplitter', () => {
  const messages = [Buffer.from('first'), Buffer.alloc(0), Buffer.alloc(70_000, 7), Buffer.from('last')];
  const wire = Buffer.concat(messages.map((m) => encodeFrame(m)));
  it.each([1, 3, 5, 4096, wire.length])('gives the same messages whatever the chunk size (%i bytes)', (size) => {
    const splitter = new FrameSplitter();
    const out: Buffer[] = [];
    for (let at = 0; at < wire.length; at += size) out.push(...splitter.push(wire.subarray(at, at + size)));
    expect(out.map((m) => m.toString('hex'))).toEqual(messages.map((m) => m.toString('hex')));
  });
});

describe('maintenance messages', () => {
  const encode = (name: string, value: object) => Buffer.from(type(name).encode(type(name).fromObject(value)).finish());

  it('reads a status response past the fields it skips (header, strings, repeated errors)', () => {
    const bytes = encode('StatusResponse', { header: { clusterId: 2 ** 60, memberId: 7, revision: 9, raftTerm: 2 }, version: '3.4.23', dbSize: 5 * 2 ** 20, leader: 7, raftIndex: 99, raftTerm: 2, raftAppliedIndex: 99, errors: ['one', 'two'], dbSizeInUse: 2 ** 20, isLearner: true });
    expect(decodeStatusResponse(bytes)).toEqual({ version: '3.4.23', dbSize: 5 * 2 ** 20, dbSizeInUse: 2 ** 20 });
  });

  it('reads raised alarms by name', () => {
    expect(decodeAlarmResponse(encode('AlarmResponse', { header: { revision: 3 }, alarms: [{ memberID: 12, alarm: 1 }, { memberID: 13, alarm: 2 }] }))).toEqual([
      { memberId: 12, alarm: 'NOSPACE' },
      { memberId: 13, alarm: 'CORRUPT' },
    ]);
    expect(decodeAlarmResponse(encode('AlarmResponse', { header: { revision: 3 } }))).toEqual([]);
  });

  it('encodes a compaction request', () => {
    expect(plain('CompactionRequest', encodeCompactionRequest(123456789, true))).toEqual({ revision: 123456789, physical: true });
    expect(plain('CompactionRequest', encodeCompactionRequest(5, false))).toEqual({ revision: 5 });
  });

  it('encodes a keys-only range', () => {
    expect(plain('RangeRequest', encodeRangeRequest({ key: '/a/', rangeEnd: Buffer.from('/a0'), keysOnly: true }))).toEqual({ key: b64('/a/'), rangeEnd: b64('/a0'), keysOnly: true });
  });
});
