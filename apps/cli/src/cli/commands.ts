// The coxctl command tree: names, flags, help and examples, declared per area under
// ./tree. Implementations load lazily (./lazy) so `--help` and completion stay fast.
import { cronjob } from './tree/batch';
import { apiResources, apiVersions, config, explain, version } from './tree/meta';
import { cordon, drain, uncordon } from './tree/nodes';
import { apply, create, del, describe, edit, get } from './tree/objects';
import { complete, completion } from './tree/shell';
import { compare, consoleCmd, vm, why } from './tree/vms';
import { autoscale, exec, logs, rollout, scale, top, wait } from './tree/workloads';
import { attach, portForward } from './tree/streams';
import { token } from './tree/tokens';
import { CommandSpec } from './spec';

export const ROOT: CommandSpec = {
  name: 'coxctl',
  summary: 'coxctl controls the Coxswain cluster manager.',
  description: `coxctl controls the Coxswain cluster manager: containers and virtual machines side by side.

It speaks the Kubernetes API like kubectl does (same verbs, flags and output), and drives
VMs like virtctl (vm start/stop/restart, console).`,
  usage: 'coxctl [flags] [options]',
  subcommands: [get, describe, create, apply, edit, del, logs, exec, attach, portForward, scale, autoscale, rollout, top, cordon, uncordon, drain, token, wait, cronjob, vm, consoleCmd, why, compare, explain, apiResources, apiVersions, config, version, completion, complete],
};
