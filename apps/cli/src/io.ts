// The process edges a command touches, as one object tests replace.
import { Readable } from 'node:stream';

export interface OutStream {
  write(chunk: string | Uint8Array): unknown;
  isTTY?: boolean;
  columns?: number;
  rows?: number;
  on?(event: 'resize', listener: () => void): unknown;
  off?(event: 'resize', listener: () => void): unknown;
}

export type InStream = Readable & { isTTY?: boolean; setRawMode?(mode: boolean): unknown };

export interface Io {
  stdout: OutStream;
  stderr: OutStream;
  stdin: InStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
  now(): Date;
  /** Aborted on Ctrl-C (SIGINT) so watches and waits end cleanly. */
  signal?: AbortSignal;
}

export function processIo(signal?: AbortSignal): Io {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdin: process.stdin as InStream,
    env: process.env,
    cwd: process.cwd(),
    now: () => new Date(),
    signal,
  };
}
