// Node maintenance: cordon, uncordon, drain.
import { DRY_RUN, SELECTOR, TIMEOUT } from '../flags';
import { lazy, nodeCmd } from '../lazy';
import { CommandSpec } from '../spec';

const nodeFlags = [SELECTOR, DRY_RUN];

export const cordon: CommandSpec = {
  name: 'cordon',
  summary: 'Mark node as unschedulable',
  usage: 'coxctl cordon NODE [flags]',
  examples: `# No new workloads on node-1\ncoxctl cordon node-1`,
  argsComplete: 'node',
  flags: nodeFlags,
  run: lazy(nodeCmd, 'runCordon'),
};

export const uncordon: CommandSpec = {
  name: 'uncordon',
  summary: 'Mark node as schedulable',
  usage: 'coxctl uncordon NODE [flags]',
  examples: `# Let workloads onto node-1 again\ncoxctl uncordon node-1`,
  argsComplete: 'node',
  flags: nodeFlags,
  run: lazy(nodeCmd, 'runUncordon'),
};

export const drain: CommandSpec = {
  name: 'drain',
  summary: 'Drain node in preparation for maintenance',
  description: `Drain a node in preparation for maintenance.

Cordons the node, then evicts its pods and VM instances so their controllers recreate them
elsewhere. DaemonSet-managed pods are refused unless --ignore-daemonsets; pods and VMIs
that no controller owns are refused unless --force (they would be lost); pods with emptyDir
volumes are refused unless --delete-emptydir-data (the data is lost).`,
  usage: 'coxctl drain NODE [flags]',
  examples: `# Drain node-1, skipping DaemonSet pods
coxctl drain node-1 --ignore-daemonsets

# Also remove unmanaged pods, give up after 2 minutes
coxctl drain node-1 --force --timeout=2m`,
  argsComplete: 'node',
  flags: [
    { name: 'force', type: 'bool', description: 'Also delete pods and VMIs no controller manages' },
    { name: 'ignore-daemonsets', type: 'bool', description: 'Ignore DaemonSet-managed pods' },
    { name: 'delete-emptydir-data', type: 'bool', description: 'Continue even if pods use emptyDir (its data is deleted)' },
    { name: 'disable-eviction', type: 'bool', description: 'Delete instead of evict' },
    { name: 'grace-period', type: 'int', default: -1, description: 'Seconds each pod gets to terminate (-1: its own)' },
    { name: 'pod-selector', type: 'string', description: 'Only drain pods matching this label selector' },
    TIMEOUT,
    ...nodeFlags,
  ],
  run: lazy(nodeCmd, 'runDrain'),
};
