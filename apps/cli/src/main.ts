// coxctl entry point (apps/cli/bin/coxctl runs this under Node 24 with @swc-node/register).
import { processIo } from './io';
import { run } from './cli/run';

const controller = new AbortController();
let interrupted = false;
process.on('SIGINT', () => {
  // First Ctrl-C ends watches and waits cleanly; a second one exits at once.
  if (interrupted) process.exit(130);
  interrupted = true;
  controller.abort();
});
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0); // `coxctl get pods | head`
});

run(process.argv.slice(2), processIo(controller.signal)).then(
  (code) => process.stdout.write('', () => process.exit(interrupted && code === 0 ? 130 : code)),
  (error) => {
    process.stderr.write(`error: ${String(error?.stack ?? error)}\n`);
    process.exit(1);
  },
);
