// node_agent.proto as data, written by hand from the .proto: each message's fields (number,
// name in lower camel case as proto-loader spells it, type, repeated, oneof) and the service's
// methods. The agent's codecs run on this table instead of parsing the .proto with protobufjs;
// schema.spec.ts parses the .proto and fails when the two disagree.

export const PACKAGE = 'coxswain.node.v1';

export type ScalarType = 'string' | 'bytes' | 'bool' | 'int32' | 'uint32' | 'int64' | 'uint64';

export interface FieldSpec {
  id: number;
  name: string;
  /** A scalar type, or the name of another message of the table. */
  type: ScalarType | string;
  repeated?: true;
  /** The oneof group the field belongs to. */
  oneof?: string;
}

export interface MethodSpec {
  name: string;
  request: string;
  response: string;
  requestStream: boolean;
  responseStream: boolean;
}

const field = (id: number, name: string, type: string, more: Pick<FieldSpec, 'repeated' | 'oneof'> = {}): FieldSpec => ({ id, name, type, ...more });
const repeated = { repeated: true } as const;
const input = { oneof: 'input' };
const output = { oneof: 'output' };

/** Messages by name (in PACKAGE), fields in field-number order. */
export const MESSAGES: Record<string, readonly FieldSpec[]> = {
  WorkloadRef: [field(1, 'namespace', 'string'), field(2, 'name', 'string'), field(3, 'uid', 'string')],
  LogsRequest: [
    field(1, 'pod', 'WorkloadRef'),
    field(2, 'container', 'string'),
    field(3, 'follow', 'bool'),
    field(4, 'previous', 'bool'),
    field(5, 'tailLines', 'int64'),
    field(6, 'sinceSeconds', 'int64'),
    field(7, 'timestamps', 'bool'),
    field(8, 'limitBytes', 'int64'),
  ],
  LogChunk: [field(1, 'data', 'bytes')],
  TerminalSize: [field(1, 'width', 'uint32'), field(2, 'height', 'uint32')],
  ExecStart: [
    field(1, 'pod', 'WorkloadRef'),
    field(2, 'container', 'string'),
    field(3, 'command', 'string', repeated),
    field(4, 'stdin', 'bool'),
    field(5, 'tty', 'bool'),
    field(6, 'size', 'TerminalSize'),
  ],
  ExecInput: [field(1, 'start', 'ExecStart', input), field(2, 'stdin', 'bytes', input), field(3, 'resize', 'TerminalSize', input), field(4, 'stdinEof', 'bool', input)],
  ExecOutput: [field(1, 'stdout', 'bytes', output), field(2, 'stderr', 'bytes', output), field(3, 'exitCode', 'int32', output)],
  ConsoleInput: [field(1, 'attach', 'WorkloadRef', input), field(2, 'data', 'bytes', input)],
  ConsoleOutput: [field(1, 'data', 'bytes')],
  PortForwardStart: [field(1, 'pod', 'WorkloadRef'), field(2, 'port', 'uint32')],
  PortForwardInput: [field(1, 'start', 'PortForwardStart', input), field(2, 'data', 'bytes', input), field(3, 'eof', 'bool', input)],
  PortForwardOutput: [field(1, 'connected', 'bool', output), field(2, 'data', 'bytes', output), field(3, 'eof', 'bool', output)],
  StatsRequest: [],
  UsageSample: [field(1, 'cpuUsageNanoseconds', 'uint64'), field(2, 'memoryWorkingSetBytes', 'uint64'), field(3, 'timestampMs', 'int64')],
  ContainerStats: [field(1, 'name', 'string'), field(2, 'usage', 'UsageSample')],
  WorkloadStats: [field(1, 'ref', 'WorkloadRef'), field(2, 'kind', 'string'), field(3, 'containers', 'ContainerStats', repeated), field(4, 'usage', 'UsageSample')],
  StatsResponse: [field(1, 'nodeName', 'string'), field(2, 'node', 'UsageSample'), field(3, 'workloads', 'WorkloadStats', repeated)],
};

const method = (name: string, request: string, response: string, requestStream: boolean, responseStream: boolean): MethodSpec => ({ name, request, response, requestStream, responseStream });

/** The NodeAgent service, in the .proto's order. */
export const SERVICE = {
  name: 'NodeAgent',
  methods: [
    method('Logs', 'LogsRequest', 'LogChunk', false, true),
    method('Exec', 'ExecInput', 'ExecOutput', true, true),
    method('Console', 'ConsoleInput', 'ConsoleOutput', true, true),
    method('Attach', 'ExecInput', 'ExecOutput', true, true),
    method('PortForward', 'PortForwardInput', 'PortForwardOutput', true, true),
    method('Stats', 'StatsRequest', 'StatsResponse', false, false),
  ],
};
