/**
 * Starts one VM and exits: stands in for an agent that dies right after launching, so tests can
 * check that the VM outlives it. Usage: node -r @swc-node/register start-vm-and-exit.ts '<json>'
 * where json is {root, accel, cgroupParent, spec}.
 */
import { VmDriver } from '../driver';

const { root, accel, cgroupParent, spec } = JSON.parse(process.argv[2]);
new VmDriver({ root, accel, cgroupParent }).start(spec).then(
  (state) => {
    process.stdout.write(JSON.stringify(state));
    process.exit(0);
  },
  (error) => {
    process.stderr.write(String(error?.stack ?? error));
    process.exit(1);
  },
);
