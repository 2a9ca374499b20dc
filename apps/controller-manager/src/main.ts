// coxswain-controller-manager: flags (or COXSWAIN_* env) → runControllerManager.
// Run: node -r @swc-node/register apps/controller-manager/src/main.ts --kubeconfig FILE
import { createLogger } from '@coxswain/client';
import { runControllerManager, stopOnSignals } from './app';
import { parseConfig, USAGE } from './config';

async function main(): Promise<void> {
  let config;
  try {
    config = parseConfig(process.argv.slice(2), process.env);
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (config === 'help') {
    console.log(USAGE);
    return;
  }
  const logger = createLogger('controller-manager');
  const running = await runControllerManager(config, logger);
  stopOnSignals(running, logger);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
