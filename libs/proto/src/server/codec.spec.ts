// The agent's codecs against @grpc/proto-loader's for the same file (what the API server's
// client uses): same paths and handler names; for every method's request and response, both
// ways, the same bytes and the same decoded objects (values, defaults, nulls, key order), on
// hand-picked examples and on seeded random messages of every type of the file.
import { IConversionOptions, Root, Type } from 'protobufjs';
import { NODE_AGENT_PROTO, nodeAgentService } from '../node-agent';
import { loadMethods } from './codec';
import { messageCodecs } from './message-codec';
import { MESSAGES, PACKAGE, SERVICE } from './schema';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** Same values, same classes and the same keys in the same order. */
function expectSame(actual: unknown, expected: unknown): void {
  expect(actual).toStrictEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

const pod = { namespace: 'default', name: 'web-0', uid: '6f1c2d3e-0000-4000-8000-000000000001' };
const unicodePod = { namespace: 'ns-ü', name: '日本語-🚀-ñ', uid: 'nul\u0000 and a long name past forty UTF-16 units: ééééééééé' };
const large = Buffer.alloc(300_000).map((_, i) => (i * 7) & 255);
const view = Buffer.from('..view..').subarray(2, 6);
const usage = { cpuUsageNanoseconds: '18446744073709551615', memoryWorkingSetBytes: '9007199254740993', timestampMs: '1700000000000' };
// As the agent fills a sample in: numbers, one object shared by a workload and its container.
const agentUsage = { cpuUsageNanoseconds: Math.round(12.345678 * 1e9), memoryWorkingSetBytes: 2 ** 53 + 1, timestampMs: 1765000000000 };

type Examples = [string, object][];

const execInputs: Examples = [
  ['start, every field', { start: { pod: unicodePod, container: 'app', command: ['sh', '-c', 'echo 日本 🚀 "$HOME"'], stdin: true, tty: true, size: { width: 80, height: 24 } } }],
  ['start, no fields', { start: {} }],
  ['start, empty command', { start: { pod, command: [] } }],
  ['stdin', { stdin: Buffer.from('ls\n') }],
  ['empty stdin', { stdin: Buffer.alloc(0) }],
  ['large stdin', { stdin: large }],
  ['resize to 0', { resize: { width: 0, height: 0 } }],
  ['resize to the uint32 limits', { resize: { width: 4294967295, height: -1 } }],
  ['stdin eof', { stdinEof: true }],
  ['stdin eof false (a oneof member at its default is still sent)', { stdinEof: false }],
  ['nothing', {}],
];
const execOutputs: Examples = [
  ['stdout', { stdout: Buffer.from('hello\n') }],
  ['stderr from a Uint8Array view', { stderr: new Uint8Array(view.buffer, view.byteOffset, view.length) }],
  ['empty stdout', { stdout: Buffer.alloc(0) }],
  ['large stdout', { stdout: large }],
  ['exit code 0', { exitCode: 0 }],
  ['exit code 137', { exitCode: 137 }],
  ['exit code -1', { exitCode: -1 }],
  ['exit code -2^31', { exitCode: -(2 ** 31) }],
  ['exit code 2^31 - 1', { exitCode: 2 ** 31 - 1 }],
  ['a decoded message written back (oneof name and all)', { stdout: Buffer.from('x'), output: 'stdout' }],
  ['nothing', {}],
];

/** Requests the API server sends (the agent decodes them) and responses the agent sends. */
const samples: Record<string, { requests: Examples; responses: Examples }> = {
  Logs: {
    requests: [
      ['every field', { pod: unicodePod, container: 'app', follow: true, previous: true, tailLines: '-1', sinceSeconds: '9007199254740993', timestamps: true, limitBytes: '18446744073709551615' }],
      ['numbers for 64-bit fields', { pod, tailLines: -1, sinceSeconds: 60, limitBytes: 2 ** 53 + 2 }],
      ['64-bit extremes', { tailLines: '-9223372036854775808', sinceSeconds: '9223372036854775807', limitBytes: '0' }],
      ['every field at its default (still sent)', { pod: {}, container: '', follow: false, previous: false, tailLines: '0', sinceSeconds: 0, timestamps: false, limitBytes: 0 }],
      ['undefined and null fields', { pod: undefined, container: null, tailLines: undefined }],
      ['nothing', {}],
    ],
    responses: [
      ['a line', { data: Buffer.from('line\n') }],
      ['empty data', { data: Buffer.alloc(0) }],
      ['large data', { data: large }],
      ['unicode text', { data: Buffer.from('ünïcödé 日本 🚀\n') }],
      ['nothing', {}],
    ],
  },
  Exec: { requests: execInputs, responses: execOutputs },
  Console: {
    requests: [
      ['attach', { attach: unicodePod }],
      ['attach, no fields', { attach: {} }],
      ['data', { data: Buffer.from([0, 255, 27, 91]) }],
      ['empty data', { data: Buffer.alloc(0) }],
      ['nothing', {}],
    ],
    responses: [
      ['data', { data: Buffer.from('login: ') }],
      ['empty data', { data: Buffer.alloc(0) }],
      ['nothing', {}],
    ],
  },
  Attach: { requests: execInputs, responses: execOutputs },
  PortForward: {
    requests: [
      ['start', { start: { pod, port: 8080 } }],
      ['start, port only', { start: { port: 65535 } }],
      ['start, no fields', { start: {} }],
      ['data', { data: Buffer.from('GET / HTTP/1.1\r\n\r\n') }],
      ['large data', { data: large }],
      ['eof', { eof: true }],
      ['eof false', { eof: false }],
      ['nothing', {}],
    ],
    responses: [
      ['connected', { connected: true }],
      ['connected false', { connected: false }],
      ['data', { data: Buffer.from('HTTP/1.1 200 OK\r\n') }],
      ['large data', { data: large }],
      ['eof', { eof: true }],
      ['nothing', {}],
    ],
  },
  Stats: {
    requests: [
      ['nothing', {}],
      ['unknown properties', { other: 1 }],
    ],
    responses: [
      ['every field', {
        nodeName: 'nöde-1',
        node: usage,
        workloads: [
          { ref: pod, kind: 'Pod', containers: [{ name: 'app', usage }, { name: 'sidecar', usage: { cpuUsageNanoseconds: '0', memoryWorkingSetBytes: '0', timestampMs: '0' } }], usage },
          { ref: unicodePod, kind: 'VirtualMachineInstance', containers: [{ name: 'compute', usage: agentUsage }], usage: agentUsage },
        ],
      }],
      ['as the agent fills it in', { nodeName: 'n1', node: { cpuUsageNanoseconds: 5e9, memoryWorkingSetBytes: 0 }, workloads: [{ ref: pod, kind: 'Pod', containers: [], usage: { cpuUsageNanoseconds: 0, memoryWorkingSetBytes: 0, timestampMs: 1765000000000 } }] }],
      ['empty name and no workloads (still sent)', { nodeName: '', workloads: [] }],
      ['workloads with no fields', { workloads: [{}, { containers: [{}] }], node: {} }],
      ['nothing', {}],
    ],
  },
};

const OPTIONS: IConversionOptions = { longs: String, enums: String, defaults: true, oneofs: true };
const codecs = messageCodecs(MESSAGES, PACKAGE);

describe('node agent codecs', () => {
  const methods = loadMethods();
  const reference = nodeAgentService().service;

  it('serves every method of the service, at the path and under the handler name grpc-js uses', () => {
    const shape = (path: string, handler: string, requestStream: boolean, responseStream: boolean) => ({ path, handler, requestStream, responseStream });
    expect([...methods.values()].map((m) => shape(m.path, m.handler, m.requestStream, m.responseStream))).toEqual(
      Object.values(reference).map((d) => shape(d.path, d.originalName!, d.requestStream, d.responseStream)),
    );
  });

  it('has examples for every method', () => {
    expect(Object.keys(samples)).toEqual(SERVICE.methods.map((m) => m.name));
  });

  const cases = Object.entries(samples).flatMap(([method, { requests, responses }]) => [
    ...requests.map(([example, message]) => ({ method, kind: 'request' as const, example, message })),
    ...responses.map(([example, message]) => ({ method, kind: 'response' as const, example, message })),
  ]);
  it.each(cases)('$method $kind, $example: the bytes and objects of proto-loader, both ways', ({ method, kind, message }) => {
    const def = reference[method];
    const spec = SERVICE.methods.find((m) => m.name === method)!;
    const codec = codecs.get(kind === 'request' ? spec.request : spec.response)!;
    const serialize = kind === 'request' ? def.requestSerialize : def.responseSerialize;
    const deserialize = kind === 'request' ? def.requestDeserialize : def.responseDeserialize;
    const bytes = serialize(message);
    expect(hex(codec.encode(message))).toBe(hex(bytes));
    expectSame(codec.decode(bytes), deserialize(bytes));
    // A decoded object (nulls, defaults, the oneof's name) written back.
    expect(hex(codec.encode(deserialize(bytes)))).toBe(hex(serialize(deserialize(bytes))));
    // What the server runs: requests decoded, responses encoded.
    if (kind === 'request') expectSame(methods.get(def.path)!.decode(bytes), deserialize(bytes));
    else expect(hex(methods.get(def.path)!.encode(message))).toBe(hex(bytes));
  });

  it('writes an unpaired surrogate as U+FFFD, as Buffer does (protobufjs writes CESU-8 bytes for one in a string shorter than 40)', () => {
    const codec = codecs.get('StatsResponse')!;
    expect(hex(codec.encode({ nodeName: 'a\ud800b' }))).toBe('0a0561efbfbd62');
    expect(hex(reference.Stats.responseSerialize({ nodeName: 'a\ud800b' }))).toBe('0a0561eda08062');
    expect(hex(codec.encode({ nodeName: 'a\ud800b'.padEnd(40, '.') }))).toBe(hex(reference.Stats.responseSerialize({ nodeName: 'a\ud800b'.padEnd(40, '.') })));
  });
});

/** mulberry32: a small seeded generator, so a failure names the seed that reproduces it. */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Random messages of a type, shaped as the agent and the API server write them, from protobufjs' view of the .proto. */
function randomMessage(type: Type, rnd: () => number, depth = 0): Record<string, unknown> {
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(values: readonly T[]): T => values[int(values.length)];
  const bits64 = () => ((BigInt(int(2 ** 32)) << 32n) | BigInt(int(2 ** 32))) >> BigInt(int(64));
  const ranges = [[0x20, 0x7e], [0, 0x1f], [0xa0, 0xff], [0x370, 0x4ff], [0x4e00, 0x9fff], [0xfff0, 0xffff], [0x1f300, 0x1f64f], [0x10000, 0x10ffff]];
  const text = () => String.fromCodePoint(...Array.from({ length: pick([0, 1, 5, 20, 39, 40, 60]) }, () => { const [lo, hi] = pick(ranges); return lo + int(hi - lo + 1); }));
  const bytes = () => {
    const b = Buffer.from(Array.from({ length: pick([0, 1, 7, 64, 200]) + 2 }, () => int(256)));
    return pick([b.subarray(1, -1), new Uint8Array(b.buffer, b.byteOffset + 1, b.length - 2)]);
  };
  const scalar: Record<string, () => unknown> = {
    string: text,
    bytes,
    bool: () => rnd() < 0.5,
    int32: () => pick([0, -1, 1, 2 ** 31 - 1, -(2 ** 31), int(2 ** 32) - 2 ** 31, int(300)]),
    uint32: () => pick([0, 1, 2 ** 32 - 1, int(2 ** 32), int(300)]),
    int64: () => pick([() => BigInt.asIntN(64, bits64()).toString(), () => int(2 ** 53) - 2 ** 52, () => '0', () => '-9223372036854775808'])(),
    uint64: () => pick([() => BigInt.asUintN(64, bits64()).toString(), () => int(2 ** 53), () => '18446744073709551615', () => 0])(),
  };
  const value = (field: Type['fieldsArray'][number]) =>
    field.resolvedType instanceof Type ? (depth < 4 ? randomMessage(field.resolvedType, rnd, depth + 1) : {}) : scalar[field.type]();
  const message: Record<string, unknown> = {};
  const chosen = new Set(type.oneofsArray.map((oneof) => pick([undefined, ...oneof.fieldsArray.map((f) => f.name)])));
  for (const field of type.fieldsArray) {
    if (field.partOf ? !chosen.has(field.name) : rnd() < 0.3) {
      if (rnd() < 0.3) message[field.name] = pick([null, undefined]);
      continue;
    }
    message[field.name] = field.repeated ? Array.from({ length: int(4) }, () => value(field)) : value(field);
  }
  return message;
}

describe('node agent codecs on random messages', () => {
  const root = new Root().loadSync(NODE_AGENT_PROTO, { keepCase: false });
  root.resolveAll();
  const RUNS = 300;

  it.each(Object.keys(MESSAGES))('%s: proto-loader bytes decoded here, and these bytes, as proto-loader', (name) => {
    const type = root.lookupType(`${PACKAGE}.${name}`);
    const codec = codecs.get(name)!;
    for (let seed = 1; seed <= RUNS; seed++) {
      const message = randomMessage(type, generator(seed));
      const bytes = type.encode(type.fromObject(message)).finish();
      const ours = codec.encode(message);
      expect({ seed, bytes: hex(ours) }).toEqual({ seed, bytes: hex(bytes) });
      const decoded = codec.decode(bytes);
      expect({ seed, decoded }).toStrictEqual({ seed, decoded: type.toObject(type.decode(bytes), OPTIONS) });
      expect({ seed, json: JSON.stringify(type.toObject(type.decode(ours), OPTIONS)) }).toEqual({ seed, json: JSON.stringify(codec.decode(ours)) });
    }
  });
});
