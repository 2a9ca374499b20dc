// coxctl attach: the running container's own output (and stdin with -i when the container
// has it) over the pods/attach websocket, with kubectl's client-side checks and messages.
import { ParsedArgs, UsageError } from '../cli/spec';
import { CommandContext } from '../context';
import { CliError, ExitError } from '../errors';
import { buildQuery, EXEC_PROTOCOLS, openWebSocket } from '../stream/websocket';
import { relay } from './exec';
import { chooseContainer, resolvePod } from './pods';

export function attachPath(namespace: string, pod: string, container: string, flags: { stdin: boolean; tty: boolean }): string {
  return (
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(pod)}/attach` +
    buildQuery([['container', container], ['stdin', flags.stdin || undefined], ['stdout', true], ['stderr', !flags.tty || undefined], ['tty', flags.tty || undefined]])
  );
}

export async function runAttach(ctx: CommandContext, parsed: ParsedArgs): Promise<number> {
  if (parsed.args.length !== 1) throw new UsageError('expected POD or TYPE/NAME', ctx.commandPath);
  const pod = await resolvePod(ctx, parsed.args[0]);
  if (pod.status?.phase === 'Succeeded' || pod.status?.phase === 'Failed') throw new CliError(`cannot attach a container in a completed pod; current phase is ${pod.status.phase}`);
  const container = chooseContainer(pod, ctx.str('container'), (t) => {
    if (!ctx.bool('quiet')) ctx.err(t);
  });
  const stdin = ctx.bool('stdin');
  const tty = ctx.bool('tty') && stdin && Boolean(ctx.io.stdin.isTTY);
  if (!ctx.bool('quiet')) ctx.err('If you don\'t see a command prompt, try pressing enter.\n');
  const path = attachPath(pod.metadata.namespace, pod.metadata.name, container, { stdin, tty });
  const code = await relay(ctx.io, await openWebSocket(ctx.kube().resolved.connection, path, EXEC_PROTOCOLS), { stdin, tty });
  if (code !== 0) throw new ExitError(code);
  return 0;
}
