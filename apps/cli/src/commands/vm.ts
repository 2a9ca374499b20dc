// coxctl vm start|stop|restart|list and coxctl console: what virtctl gives KubeVirt users.
import { isNotFound } from '@coxswain/client';
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext, parseDurationMs } from '../context';
import { CliError } from '../errors';
import { Io } from '../io';
import { parseOutputFormat } from '../printers/output';
import { ResourceMapper } from '../resources/mapper';
import { openWebSocket } from '../stream/websocket';
import { Obj } from '../types';
import { startProgress } from '../util/progress';
import { fetchGroups, printGroups } from './get';
import { noResourcesMessage } from './common';

const VMS = ResourceMapper.builtinKind('VirtualMachine');
const VMIS = ResourceMapper.builtinKind('VirtualMachineInstance');

/** Ctrl-] — the byte that detaches from a console, as in virtctl and telnet. */
export const ESCAPE_BYTE = 0x1d;
export const CONSOLE_PROTOCOLS = ['plain.kubevirt.io'];

function oneName(ctx: CommandContext, parsed: ParsedArgs): string {
  if (parsed.args.length !== 1) throw new UsageError('expected exactly one VM name', ctx.commandPath);
  return parsed.args[0].replace(/^(vm|vms|virtualmachines?(\.kubevirt\.io)?|vmi|vmis|virtualmachineinstances?(\.kubevirt\.io)?)\//, '');
}

async function vmAction(ctx: CommandContext, parsed: ParsedArgs, action: 'start' | 'stop' | 'restart'): Promise<number> {
  const name = oneName(ctx, parsed);
  await ctx.client.updateSubresource(VMS, name, action, {}, { namespace: ctx.namespace });
  ctx.out(`VM ${name} was scheduled to ${action}\n`);
  return 0;
}

export const runVmStart = (ctx: CommandContext, parsed: ParsedArgs) => vmAction(ctx, parsed, 'start');
export const runVmStop = (ctx: CommandContext, parsed: ParsedArgs) => vmAction(ctx, parsed, 'stop');
export const runVmRestart = (ctx: CommandContext, parsed: ParsedArgs) => vmAction(ctx, parsed, 'restart');

/** VMs and their instances in one view, like `get vm,vmi`. */
export async function runVmList(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (parsed.args.length) throw new UsageError('vm list takes no arguments (use -l to filter)', ctx.commandPath);
  const format = parseOutputFormat(ctx.str('output'));
  const allNamespaces = ctx.bool('all-namespaces');
  const { groups } = await fetchGroups(
    ctx,
    [VMS, VMIS].map((resource) => ({ resource, names: [] })),
    { allNamespaces, table: format.kind === 'table' },
  );
  const printed = printGroups(ctx, format, groups, { now: ctx.now(), withNamespace: allNamespaces, multiKind: true, single: false });
  if (!printed && format.kind === 'table') ctx.err(noResourcesMessage(ctx, true, allNamespaces));
  return 0;
}

/** Waits until the VMI exists and runs (or fails), so the console has something to attach to. */
async function waitRunning(ctx: CommandContext, name: string, namespace: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const progress = startProgress(ctx.io.stderr, `waiting for VMI ${name} to be running`, { delayMs: 0 });
  try {
    for (;;) {
      let vmi: Obj | undefined;
      try {
        vmi = await ctx.client.get<Obj>(VMIS, name, { namespace });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
      const phase = vmi?.status?.phase;
      if (phase === 'Running') return;
      if (phase === 'Succeeded' || phase === 'Failed') throw new CliError(`VMI ${name} is ${phase}; start it again with: coxctl vm start ${name}`);
      if (!vmi) {
        // A stopped VirtualMachine has no instance; say so instead of waiting in silence.
        const vm = await ctx.client.get<Obj>(VMS, name, { namespace }).catch(() => undefined);
        if (!vm) throw new CliError(`virtualmachineinstances.kubevirt.io "${name}" not found`);
      }
      if (Date.now() >= deadline) throw new CliError(`timed out waiting for VMI ${name} to be running (phase ${phase ?? 'none'})`);
      if (ctx.io.signal?.aborted) throw new CliError('interrupted');
      await new Promise((r) => setTimeout(r, 500));
    }
  } finally {
    progress.done();
  }
}

export async function runConsole(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  const name = oneName(ctx, parsed);
  const namespace = ctx.namespace;
  await waitRunning(ctx, name, namespace, parseDurationMs(ctx.str('timeout')) || 300_000);
  const path = `/apis/kubevirt.io/v1/namespaces/${encodeURIComponent(namespace)}/virtualmachineinstances/${encodeURIComponent(name)}/console`;
  const ws = await openWebSocket(ctx.kube().resolved.connection, path, CONSOLE_PROTOCOLS);
  ctx.err(`Successfully connected to ${name} console. The escape sequence is ^]\n`);
  await attachConsole(ctx.io, ws);
  ctx.err('\n');
  return 0;
}

/** Raw bytes both ways until the server closes or the user types Ctrl-]. */
export function attachConsole(io: Io, ws: import('ws').WebSocket): Promise<void> {
  const raw = io.stdin.isTTY && typeof io.stdin.setRawMode === 'function';
  return new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer | string) => {
      const buf = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
      const escape = buf.indexOf(ESCAPE_BYTE);
      const send = escape < 0 ? buf : buf.subarray(0, escape);
      if (send.length && ws.readyState === ws.OPEN) ws.send(send);
      if (escape >= 0) ws.close(1000);
    };
    const cleanup = () => {
      io.stdin.off('data', onData);
      if (raw) io.stdin.setRawMode!(false);
      io.stdin.pause();
    };
    ws.on('message', (data: Buffer) => io.stdout.write(data));
    ws.on('close', () => {
      cleanup();
      resolve();
    });
    ws.on('error', (error) => {
      cleanup();
      reject(error);
    });
    if (raw) io.stdin.setRawMode!(true);
    io.stdin.on('data', onData);
    io.stdin.resume();
    io.signal?.addEventListener('abort', () => ws.close(1000), { once: true });
    ws.resume();
  });
}
