// TypeScript views of node_agent.proto as @grpc/proto-loader decodes it (keepCase: false,
// longs as strings for 64-bit fields, oneofs expanded to a discriminator field).

export interface WorkloadRef {
  namespace: string;
  name: string;
  uid?: string;
}

export interface LogsRequest {
  pod: WorkloadRef;
  container?: string;
  follow?: boolean;
  previous?: boolean;
  tailLines?: number | string;
  sinceSeconds?: number | string;
  timestamps?: boolean;
  limitBytes?: number | string;
}

export interface LogChunk {
  data: Buffer;
}

export interface TerminalSize {
  width: number;
  height: number;
}

export interface ExecStart {
  pod: WorkloadRef;
  container?: string;
  command: string[];
  stdin?: boolean;
  tty?: boolean;
  size?: TerminalSize;
}

export type ExecInput =
  | { start: ExecStart; input?: 'start' }
  | { stdin: Buffer; input?: 'stdin' }
  | { resize: TerminalSize; input?: 'resize' }
  | { stdinEof: boolean; input?: 'stdinEof' };

export type ExecOutput =
  | { stdout: Buffer; output?: 'stdout' }
  | { stderr: Buffer; output?: 'stderr' }
  | { exitCode: number; output?: 'exitCode' };

export type ConsoleInput = { attach: WorkloadRef; input?: 'attach' } | { data: Buffer; input?: 'data' };

export interface ConsoleOutput {
  data: Buffer;
}

export interface PortForwardStart {
  pod: WorkloadRef;
  port: number;
}

export type PortForwardInput =
  | { start: PortForwardStart; input?: 'start' }
  | { data: Buffer; input?: 'data' }
  | { eof: boolean; input?: 'eof' };

export type PortForwardOutput =
  | { connected: boolean; output?: 'connected' }
  | { data: Buffer; output?: 'data' }
  | { eof: boolean; output?: 'eof' };

export type StatsRequest = Record<string, never>;

export interface UsageSample {
  cpuUsageNanoseconds: string | number;
  memoryWorkingSetBytes: string | number;
  timestampMs: string | number;
}

export interface ContainerStats {
  name: string;
  usage: UsageSample;
}

export interface WorkloadStats {
  ref: WorkloadRef;
  kind: 'Pod' | 'VirtualMachineInstance' | string;
  containers: ContainerStats[];
  usage: UsageSample;
}

export interface StatsResponse {
  nodeName: string;
  node: UsageSample;
  workloads: WorkloadStats[];
}
