// coxctl exec: runs a command in a container over the pods/exec WebSocket (channel protocol
// v5, else v4), relaying stdin/stdout/stderr and terminal resizes; exits with the command's code.
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError, ExitError } from '../errors';
import { Io } from '../io';
import { buildQuery, CHANNEL, channelFrame, EXEC_PROTOCOLS, exitCodeFromStatus, openWebSocket } from '../stream/websocket';
import { chooseContainer, resolvePod } from './pods';

export function execPath(namespace: string, pod: string, container: string, command: string[], flags: { stdin: boolean; tty: boolean }): string {
  return (
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/exec` +
    buildQuery([...command.map((c): [string, string] => ['command', c]), ['container', container], ['stdin', flags.stdin || undefined], ['stdout', true], ['stderr', !flags.tty || undefined], ['tty', flags.tty || undefined]])
  );
}

export async function runExec(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (!parsed.args.length) throw new UsageError('expected a POD (or TYPE/NAME) and a command after --', ctx.commandPath);
  if (parsed.args.length > 1) throw new UsageError(`exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead`, ctx.commandPath);
  const command = parsed.dashArgs;
  if (!command.length) throw new UsageError('you must specify at least one command for the container', ctx.commandPath);
  const pod = await resolvePod(ctx, parsed.args[0]);
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') throw new CliError(`cannot exec into a container in a completed pod; current phase is ${pod.status.phase}`);
  const container = chooseContainer(pod, ctx.str('container'), (t) => {
    if (!ctx.bool('quiet')) ctx.err(t);
  });
  const stdin = ctx.bool('stdin');
  // kubectl's rules: a TTY needs -i, and -t with a stdin that is not a terminal is dropped with a warning.
  let tty = ctx.bool('tty') && stdin;
  if (tty && !ctx.io.stdin.isTTY) {
    if (!ctx.bool('quiet')) ctx.err('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    tty = false;
  }
  const path = execPath(pod.metadata.namespace, pod.metadata.name, container, command, { stdin, tty });
  const code = await relay(ctx.io, await openWebSocket(ctx.kube().resolved.connection, path, EXEC_PROTOCOLS), { stdin, tty });
  if (code !== 0) throw new ExitError(code);
  return 0;
}

/** Pumps the streams until the server closes; resolves to the remote exit code. */
export function relay(io: Io, ws: import('ws').WebSocket, opts: { stdin: boolean; tty: boolean }): Promise<number> {
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  const raw = opts.tty && io.stdin.isTTY && typeof io.stdin.setRawMode === 'function';
  return new Promise<number>((resolve, reject) => {
    let exit: number | undefined;
    let failure: string | undefined;
    const sendResize = () => {
      if (ws.readyState === ws.OPEN && io.stdout.columns) ws.send(channelFrame(CHANNEL.resize, JSON.stringify({ Width: io.stdout.columns, Height: io.stdout.rows ?? 24 })));
    };
    const onData = (chunk: Buffer | string) => {
      if (ws.readyState === ws.OPEN) ws.send(channelFrame(CHANNEL.stdin, chunk));
    };
    const onEnd = () => {
      if (v5 && ws.readyState === ws.OPEN) ws.send(Buffer.from([CHANNEL.close, CHANNEL.stdin]));
    };
    const cleanup = () => {
      io.stdin.off('data', onData);
      io.stdin.off('end', onEnd);
      io.stdout.off?.('resize', sendResize);
      if (raw) io.stdin.setRawMode!(false);
      if (opts.stdin) io.stdin.pause();
    };
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      const buf = isBinary ? data : Buffer.from(data.toString(), 'utf8');
      if (!buf.length) return;
      const payload = buf.subarray(1);
      switch (buf[0]) {
        case CHANNEL.stdout:
          io.stdout.write(payload);
          break;
        case CHANNEL.stderr:
          io.stderr.write(payload);
          break;
        case CHANNEL.error: {
          const result = exitCodeFromStatus(payload.toString('utf8'));
          if (result.code !== undefined) exit = result.code;
          else failure = result.message;
          break;
        }
      }
    });
    ws.on('close', () => {
      cleanup();
      if (failure) return reject(new CliError(failure));
      if (exit && exit !== 0) io.stderr.write(`command terminated with exit code ${exit}\n`);
      resolve(exit ?? 0);
    });
    ws.on('error', (error) => {
      cleanup();
      reject(error);
    });
    if (opts.tty) {
      sendResize();
      io.stdout.on?.('resize', sendResize);
    }
    if (opts.stdin) {
      if (raw) io.stdin.setRawMode!(true);
      io.stdin.on('data', onData);
      io.stdin.on('end', onEnd);
      io.stdin.resume();
    }
    io.signal?.addEventListener('abort', () => ws.close(), { once: true });
    ws.resume();
  });
}
