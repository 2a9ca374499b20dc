// The server's codecs against @grpc/proto-loader's for the same file (what the API server's
// client uses): same paths and handler names, same decoded objects, same bytes.
import { nodeAgentService } from '../node-agent';
import { loadMethods } from './codec';

const pod = { namespace: 'default', name: 'web', uid: 'u1' };
const usage = { cpuUsageNanoseconds: '18446744073709551615', memoryWorkingSetBytes: 1048576, timestampMs: '1700000000000' };

// Requests the client sends (decoded by the server) and responses the server sends.
const samples: Record<string, { requests: object[]; responses: object[] }> = {
  Logs: { requests: [{ pod, container: 'app', follow: true, tailLines: -1, sinceSeconds: '60', limitBytes: 5 }, {}], responses: [{ data: Buffer.from('line\n') }, { data: Buffer.alloc(0) }] },
  Exec: {
    requests: [{ start: { pod, command: ['sh', '-c', 'echo hi'], stdin: true, tty: true, size: { width: 80, height: 24 } } }, { stdin: Buffer.from('x') }, { resize: { width: 1, height: 2 } }, { stdinEof: true }],
    responses: [{ stdout: Buffer.from('a') }, { stderr: Buffer.from('b') }, { exitCode: 0 }, { exitCode: -1 }],
  },
  Console: { requests: [{ attach: pod }, { data: Buffer.from([0, 255]) }], responses: [{ data: Buffer.from('login: ') }] },
  Attach: { requests: [{ start: { pod, command: [] } }, { stdinEof: true }], responses: [{ stdout: Buffer.from('out') }, { exitCode: 137 }] },
  PortForward: { requests: [{ start: { pod, port: 8080 } }, { data: Buffer.from('GET /') }, { eof: true }], responses: [{ connected: true }, { data: Buffer.from('200') }, { eof: true }] },
  Stats: {
    requests: [{}],
    responses: [{ nodeName: 'n1', node: usage, workloads: [{ ref: pod, kind: 'VirtualMachineInstance', containers: [{ name: 'compute', usage }], usage }] }, { nodeName: '', workloads: [] }],
  },
};

describe('node agent codecs', () => {
  const methods = loadMethods();
  const reference = nodeAgentService().service;

  it('serves every method of the service, at the path and under the handler name grpc-js uses', () => {
    const shape = (path: string, handler: string, requestStream: boolean, responseStream: boolean) => ({ path, handler, requestStream, responseStream });
    expect([...methods.values()].map((m) => shape(m.path, m.handler, m.requestStream, m.responseStream))).toEqual(
      Object.values(reference).map((d) => shape(d.path, d.originalName!, d.requestStream, d.responseStream)),
    );
  });

  const cases = Object.entries(samples).flatMap(([name, { requests, responses }]) => [
    ...requests.map((message) => ({ name, kind: 'request' as const, message })),
    ...responses.map((message) => ({ name, kind: 'response' as const, message })),
  ]);
  it.each(cases)('$name $kind $message: as proto-loader', ({ name, kind, message }) => {
    const def = reference[name];
    const codec = methods.get(def.path)!;
    if (kind === 'request') {
      const bytes = def.requestSerialize(message);
      expect(codec.decode(bytes)).toEqual(def.requestDeserialize(bytes));
    } else {
      expect(Buffer.from(codec.encode(message))).toEqual(def.responseSerialize(message));
    }
  });
});
