// What virtctl gives KubeVirt users, and why: vm, console, why.
import { ALL_NAMESPACES, OUTPUT, SELECTOR } from '../flags';
import { compareCmd, lazy, vmCmd, whyCmd } from '../lazy';
import { CommandSpec } from '../spec';

const vmSub = (name: string, summary: string, examples: string, key: string, flags: CommandSpec['flags'] = []): CommandSpec => ({
  name,
  summary,
  usage: `coxctl vm ${name}${name === 'list' ? '' : ' NAME'} [flags]`,
  examples,
  argsComplete: name === 'list' ? undefined : 'vm',
  flags,
  run: lazy(vmCmd, key as never),
});

export const vm: CommandSpec = {
  name: 'vm',
  aliases: ['vms'],
  summary: 'Start, stop, restart and list virtual machines',
  usage: 'coxctl vm (start|stop|restart|list) [NAME] [flags]',
  examples: `# Start a stopped VM\ncoxctl vm start my-vm\n\n# VMs and their running instances\ncoxctl vm list`,
  subcommands: [
    vmSub('start', 'Start a virtual machine', `# Start my-vm\ncoxctl vm start my-vm`, 'runVmStart'),
    vmSub('stop', 'Stop a virtual machine', `# Stop my-vm\ncoxctl vm stop my-vm`, 'runVmStop'),
    vmSub('restart', 'Restart a virtual machine', `# Restart my-vm\ncoxctl vm restart my-vm`, 'runVmRestart'),
    vmSub('list', 'List VirtualMachines and VirtualMachineInstances', `# In the current namespace\ncoxctl vm list\n\n# Everywhere\ncoxctl vm list -A`, 'runVmList', [ALL_NAMESPACES, SELECTOR, { ...OUTPUT, description: 'wide|name|json|yaml' }]),
  ],
};

export const consoleCmd: CommandSpec = {
  name: 'console',
  summary: "Connect to a VM instance's serial console",
  description: `Connect to the serial console of a VM instance. Input goes to the guest byte for byte;
press Ctrl-] to detach (the VM keeps running).`,
  usage: 'coxctl console NAME [flags]',
  examples: `# Attach to my-vm's serial console\ncoxctl console my-vm`,
  argsComplete: 'vmi',
  flags: [{ name: 'timeout', type: 'string', default: '5m', description: 'How long to wait for the VMI to be running' }],
  run: lazy(vmCmd, 'runConsole'),
};

export const why: CommandSpec = {
  name: 'why',
  summary: 'Explain why a pod or VM instance is not running',
  description: `Explain why a pod or VM instance is pending: the scheduler's reasons (how many nodes
failed which check), a per-node view of what stands in the way (readiness, cordon, taints,
node selector, free CPU and memory), and the latest related events.`,
  usage: 'coxctl why (pod/NAME | vmi/NAME) [flags]',
  examples: `# Why is web-0 pending?\ncoxctl why pod/web-0\n\n# Why is my VM instance not scheduled?\ncoxctl why vmi/my-vm`,
  argsComplete: 'resource',
  flags: [{ name: 'events', type: 'int', default: 5, description: 'How many recent events to show' }],
  run: lazy(whyCmd, 'runWhy'),
};

export const compare: CommandSpec = {
  name: 'compare',
  summary: 'Compare containers and VMs on this cluster: start latency, memory, isolation',
  description: `Containers and VMs side by side, from the cluster's own measurements in Prometheus:
start latency (apply → Running, p50/p90) per kind, working-set memory per workload (a pod's
containers vs the whole QEMU process), how many run now, and the isolation each gives.`,
  usage: 'coxctl compare [--prometheus URL]',
  examples: `# With the Prometheus that npm run up -- --prometheus starts\ncoxctl compare --prometheus http://127.0.0.1:9090`,
  flags: [{ name: 'prometheus', type: 'string', description: 'Prometheus base URL (default: $COXSWAIN_PROMETHEUS_URL)' }],
  run: lazy(compareCmd, 'runCompare'),
};
