// Runs coxctl in-process with captured streams, for specs (unit: against a fake server;
// integration: against the harness's real API server).
import { PassThrough } from 'node:stream';
import { run } from '../cli/run';
import { InStream, Io } from '../io';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  env?: NodeJS.ProcessEnv;
  stdin?: string | Buffer;
  now?: Date;
  cwd?: string;
  /** Feed stdin later (interactive tests); the stream is returned to the caller. */
  stdinStream?: PassThrough;
  signal?: AbortSignal;
}

export function captureIo(options: CliOptions = {}): { io: Io; out: () => string; err: () => string } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const sink = (into: Buffer[]) => ({ write: (chunk: string | Uint8Array) => into.push(Buffer.from(chunk)), isTTY: false });
  let stdin = options.stdinStream as InStream | undefined;
  if (!stdin) {
    const s = new PassThrough();
    s.end(options.stdin ?? '');
    stdin = s as unknown as InStream;
  }
  const io: Io = {
    stdout: sink(out),
    stderr: sink(err),
    stdin,
    env: { PATH: process.env.PATH, HOME: '/nonexistent', ...options.env },
    cwd: options.cwd ?? process.cwd(),
    now: () => options.now ?? new Date(),
    signal: options.signal,
  };
  return { io, out: () => Buffer.concat(out).toString('utf8'), err: () => Buffer.concat(err).toString('utf8') };
}

export async function runCli(argv: string[], options: CliOptions = {}): Promise<CliResult> {
  const { io, out, err } = captureIo(options);
  const code = await run(argv, io);
  return { code, stdout: out(), stderr: err() };
}
