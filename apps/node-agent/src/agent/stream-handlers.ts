// pods/attach and pods/portforward on the node: attach relays a running container's own
// output (what its shim writes to the CRI log, from now on, stdout and stderr apart) until
// the container exits, and input into its stdin FIFO when it was created with `stdin: true`;
// port-forward opens one TCP connection to the pod's IP per call.
import { connect, Socket } from 'node:net';
import { stat } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { ExecInput, ExecOutput, NodeAgentHandlers, PortForwardInput, PortForwardOutput, Status } from '@coxswain/proto/server';
import { followRecords, LogRecord } from '../logs/cri-log';
import type { GrpcApiDeps } from './grpc-api';
import { fail, instances } from './instances';

/** Output messages for CRI records: each complete line gets its newline back, partial pieces do not. */
export function attachOutput(records: LogRecord[]): ExecOutput[] {
  return records.map((r) => {
    const data = Buffer.from(r.partial ? r.content : `${r.content}\n`);
    return r.stream === 'stderr' ? { stderr: data } : { stdout: data };
  });
}

export function attachHandler(deps: GrpcApiDeps): NodeAgentHandlers['attach'] {
  return (call) => {
    const controller = new AbortController();
    let stdin: Writable | undefined;
    const closeStdin = () => {
      stdin?.end();
      stdin = undefined;
    };
    call.on('cancelled', () => (controller.abort(), closeStdin()));
    call.on('error', () => (controller.abort(), closeStdin()));
    call.on('end', closeStdin);
    // Input that arrives while the container is looked up waits for its stdin.
    const pending: Array<Buffer | 'eof'> = [];
    let ready = false;
    let started = false;
    call.on('data', (message: ExecInput) => {
      if ('stdin' in message && message.stdin) {
        if (ready) stdin?.write(message.stdin);
        else pending.push(message.stdin);
        return;
      }
      if ('stdinEof' in message && message.stdinEof) {
        if (ready) closeStdin();
        else pending.push('eof');
        return;
      }
      if (started || !('start' in message) || !message.start) return;
      started = true;
      const start = message.start;
      void (async () => {
        try {
          const { name, mine } = await instances(deps, start.pod.namespace, start.pod.name, start.container);
          const running = mine.find((s) => s.status === 'running');
          if (!running) throw fail(Status.FAILED_PRECONDITION, `container not found ("${name}")`);
          // A container without `stdin: true` has no stdin to attach: input is dropped, as the kubelet does.
          if (start.stdin) stdin = await deps.containers.openStdin(running.id);
          stdin?.on('error', () => (stdin = undefined));
          ready = true;
          for (const piece of pending.splice(0)) {
            if (piece === 'eof') closeStdin();
            else stdin?.write(piece);
          }
          const path = await deps.containers.logPath(running.id);
          const from = await stat(path).then((s) => s.size, () => 0);
          const stillRunning = async () => (await deps.containers.state(running.id).catch(() => undefined))?.status === 'running';
          for await (const records of followRecords(path, from, { signal: controller.signal, stillRunning })) {
            for (const out of attachOutput(records)) call.write(out);
          }
          closeStdin();
          if (controller.signal.aborted) return;
          const state = await deps.containers.state(running.id).catch(() => undefined);
          call.write({ exitCode: state?.exitCode ?? (state?.signal ? 128 + state.signal : 0) } as ExecOutput);
          call.end();
        } catch (error) {
          call.emit('error', error);
        }
      })();
    });
  };
}

/** The pod IP the agent forwards to: its own view of the pod first, the request's name as a fallback. */
function podIpOf(deps: GrpcApiDeps, uid: string | undefined): string | undefined {
  const pod = uid ? deps.agent.podByUid(uid) : undefined;
  return (pod as { status?: { podIP?: string } } | undefined)?.status?.podIP;
}

export function portForwardHandler(deps: GrpcApiDeps): NodeAgentHandlers['portForward'] {
  return (call) => {
    let socket: Socket | undefined;
    const early: Array<Buffer | 'eof'> = [];
    call.on('data', (message: PortForwardInput) => {
      if ('start' in message && message.start && !socket) {
        const { pod, port } = message.start;
        const ip = podIpOf(deps, pod.uid);
        if (!ip) return void call.emit('error', fail(Status.NOT_FOUND, `pod ${pod.name} has no IP on node ${deps.nodeName}`));
        if (!Number.isInteger(port) || port < 1 || port > 65535) return void call.emit('error', fail(Status.INVALID_ARGUMENT, `invalid port ${port}`));
        const s = connect({ host: ip, port });
        socket = s;
        let open = false;
        s.on('connect', () => {
          open = true;
          call.write({ connected: true } as PortForwardOutput);
          for (const piece of early.splice(0)) {
            if (piece === 'eof') s.end();
            else s.write(piece);
          }
        });
        s.on('data', (data: Buffer) => call.write({ data } as PortForwardOutput));
        s.on('end', () => call.write({ eof: true } as PortForwardOutput));
        s.on('error', (error: NodeJS.ErrnoException) => {
          // Kubelet's wording for a refused or failed connection inside the pod.
          if (!open) call.emit('error', fail(Status.UNAVAILABLE, `error forwarding port ${port} to pod ${pod.name}, uid ${pod.uid ?? ''}: dial tcp4 ${ip}:${port}: connect: ${error.code === 'ECONNREFUSED' ? 'connection refused' : error.message}`));
        });
        s.on('close', () => {
          if (open) call.end();
        });
      } else if ('data' in message && message.data) {
        if (socket && !socket.connecting) socket.write(message.data);
        else early.push(message.data);
      } else if ('eof' in message && message.eof) {
        if (socket && !socket.connecting) socket.end();
        else early.push('eof');
      }
    });
    call.on('end', () => socket?.end());
    call.on('cancelled', () => socket?.destroy());
    call.on('error', () => socket?.destroy());
  };
}
