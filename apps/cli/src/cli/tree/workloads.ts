// Verbs for running workloads: logs, exec, scale, autoscale, rollout, top, wait.
import { ALL_NAMESPACES, DRY_RUN, FIELD_SELECTOR, FILENAME, NO_HEADERS, OUTPUT, OUTPUT_NAME, SELECTOR, SESSION_FLAGS, TIMEOUT } from '../flags';
import { execCmd, lazy, logsCmd, rolloutCmd, scaleCmd, topCmd, waitCmd } from '../lazy';
import { CommandSpec } from '../spec';

export const logs: CommandSpec = {
  name: 'logs',
  summary: 'Print the logs for a container in a pod',
  usage: 'coxctl logs [-f] [-p] (POD | TYPE/NAME) [-c CONTAINER] [flags]',
  examples: `# Logs of the only container of a pod
coxctl logs web-0

# Follow a container's logs
coxctl logs -f web-0 -c app

# Last 20 lines of the previous (crashed) instance
coxctl logs web-0 --previous --tail=20

# Logs of the last hour of the first pod of a deployment
coxctl logs deployment/web --since=1h`,
  argsComplete: 'pod',
  flags: [
    { name: 'follow', short: 'f', type: 'bool', description: 'Stream the logs' },
    { name: 'container', short: 'c', type: 'string', description: 'Container name (default: the pod’s default container)', complete: 'container' },
    { name: 'all-containers', type: 'bool', description: 'Logs of every container in the pod' },
    { name: 'previous', short: 'p', type: 'bool', description: 'Logs of the previous, terminated instance of the container' },
    { name: 'tail', type: 'int', default: -1, description: 'Lines of recent log to show (-1: all)' },
    { name: 'since', type: 'string', valueName: 'duration', description: 'Only logs newer than this (e.g. 5s, 2m, 3h)' },
    { name: 'since-time', type: 'string', valueName: 'RFC3339', description: 'Only logs after this time' },
    { name: 'timestamps', type: 'bool', description: 'Prefix each line with its timestamp' },
    { name: 'prefix', type: 'bool', description: 'Prefix each line with [pod/name/container]' },
    SELECTOR,
    { name: 'limit-bytes', type: 'int', default: 0, description: 'Maximum bytes of logs to return' },
  ],
  run: lazy(logsCmd, 'runLogs'),
};

export const exec: CommandSpec = {
  name: 'exec',
  summary: 'Execute a command in a container',
  usage: 'coxctl exec (POD | TYPE/NAME) [-c CONTAINER] [-i] [-t] -- COMMAND [args...]',
  examples: `# Run date in the default container of a pod
coxctl exec web-0 -- date

# An interactive shell
coxctl exec -it web-0 -- sh

# In a given container of the first pod of a deployment
coxctl exec deploy/web -c sidecar -- cat /etc/hostname`,
  argsComplete: 'pod',
  flags: SESSION_FLAGS,
  run: lazy(execCmd, 'runExec'),
};

export const scale: CommandSpec = {
  name: 'scale',
  summary: 'Set a new size for a deployment, replica set or VMI replica set',
  usage: 'coxctl scale [--current-replicas=N] --replicas=N (-f FILENAME | TYPE NAME | TYPE/NAME) [flags]',
  examples: `# Scale a deployment to 3 replicas
coxctl scale deployment/web --replicas=3

# Only if it currently has 2
coxctl scale --current-replicas=2 --replicas=3 deployment/web

# Scale a VMI replica set
coxctl scale vmirs/pool --replicas=5`,
  argsComplete: 'resource',
  flags: [
    { name: 'replicas', type: 'int', default: -1, description: 'The new desired number of replicas (required)' },
    { name: 'current-replicas', type: 'int', default: -1, description: 'Precondition: the current size must be this' },
    FILENAME,
    SELECTOR,
    { name: 'all', type: 'bool', description: 'Every resource of the type in the namespace' },
    OUTPUT_NAME,
    TIMEOUT,
  ],
  run: lazy(scaleCmd, 'runScale'),
};

export const autoscale: CommandSpec = {
  name: 'autoscale',
  summary: 'Auto-scale a deployment, replica set or VMI replica set',
  usage: 'coxctl autoscale (-f FILENAME | TYPE NAME | TYPE/NAME) [--min=MINPODS] --max=MAXPODS [--cpu-percent=CPU] [flags]',
  examples: `# Between 2 and 10 replicas at 80% CPU (the default target)
coxctl autoscale deployment web --min=2 --max=10

# Target 50% CPU, named hpa-web
coxctl autoscale deployment/web --max=5 --cpu-percent=50 --name=hpa-web`,
  argsComplete: 'resource',
  flags: [
    { name: 'min', type: 'int', default: -1, description: 'Lower limit of replicas (default: the server’s, 1)' },
    { name: 'max', type: 'int', default: -1, description: 'Upper limit of replicas (required)' },
    { name: 'cpu-percent', type: 'int', default: -1, description: 'Target average CPU utilisation over all pods (default 80%)' },
    { name: 'name', type: 'string', description: 'Name of the HorizontalPodAutoscaler (default: the target’s)' },
    FILENAME,
    OUTPUT_NAME,
    DRY_RUN,
  ],
  run: lazy(scaleCmd, 'runAutoscale'),
};

const rolloutSub = (name: string, summary: string, examples: string, extraFlags: CommandSpec['flags'] = []): CommandSpec => ({
  name,
  summary,
  usage: `coxctl rollout ${name} (TYPE NAME | TYPE/NAME) [flags]`,
  examples,
  argsComplete: 'resource',
  flags: [FILENAME, SELECTOR, ...(extraFlags ?? [])],
  run: lazy(rolloutCmd, 'runRollout'),
});

export const rollout: CommandSpec = {
  name: 'rollout',
  summary: 'Manage the rollout of a deployment',
  usage: 'coxctl rollout SUBCOMMAND',
  examples: `# Roll back to the previous revision\ncoxctl rollout undo deployment/web`,
  subcommands: [
    rolloutSub('status', 'Show the status of the rollout', `# Wait for a deployment's rollout to finish\ncoxctl rollout status deployment/web\n\n# Give up after a minute\ncoxctl rollout status deployment/web --timeout=1m`, [
      { name: 'watch', short: 'w', type: 'bool', default: true, description: 'Watch until the rollout finishes' },
      TIMEOUT,
      { name: 'revision', type: 'int', default: 0, description: 'Pin to a revision (fail if it is not the current one)' },
    ]),
    rolloutSub('history', 'View rollout history', `# Revisions of a deployment\ncoxctl rollout history deployment/web\n\n# The pod template of revision 3\ncoxctl rollout history deployment/web --revision=3`, [
      { name: 'revision', type: 'int', default: 0, description: 'Show the pod template of this revision' },
      OUTPUT,
    ]),
    rolloutSub('undo', 'Undo a previous rollout', `# Back to the previous revision\ncoxctl rollout undo deployment/web\n\n# Back to revision 3\ncoxctl rollout undo deployment/web --to-revision=3`, [
      { name: 'to-revision', type: 'int', default: 0, description: 'The revision to roll back to (0: the previous one)' },
      DRY_RUN,
    ]),
    rolloutSub('restart', 'Restart a resource', `# Replace every pod of a deployment\ncoxctl rollout restart deployment/web`),
    rolloutSub('pause', 'Mark the provided resource as paused', `# Pause rollouts while editing\ncoxctl rollout pause deployment/web`),
    rolloutSub('resume', 'Resume a paused resource', `# Resume rollouts\ncoxctl rollout resume deployment/web`),
  ],
};

export const top: CommandSpec = {
  name: 'top',
  summary: 'Display resource (CPU/memory) usage',
  usage: 'coxctl top (nodes|pods) [NAME] [flags]',
  examples: `# Usage of every node\ncoxctl top nodes\n\n# Usage of the pods in all namespaces\ncoxctl top pods -A`,
  subcommands: [
    {
      name: 'node',
      aliases: ['nodes', 'no'],
      summary: 'Display resource (CPU/memory) usage of nodes',
      usage: 'coxctl top node [NAME | -l label] [flags]',
      examples: `# Every node\ncoxctl top nodes\n\n# Sorted by memory\ncoxctl top nodes --sort-by=memory`,
      argsComplete: 'node',
      flags: [SELECTOR, NO_HEADERS, { name: 'sort-by', type: 'string', values: ['cpu', 'memory'], description: 'Sort by cpu or memory' }],
      run: lazy(topCmd, 'runTopNodes'),
    },
    {
      name: 'pod',
      aliases: ['pods', 'po'],
      summary: 'Display resource (CPU/memory) usage of pods',
      usage: 'coxctl top pod [NAME | -l label] [flags]',
      examples: `# Pods in the namespace\ncoxctl top pods\n\n# With each container\ncoxctl top pod web-0 --containers`,
      argsComplete: 'pod',
      flags: [SELECTOR, ALL_NAMESPACES, NO_HEADERS, { name: 'containers', type: 'bool', description: 'Show each container' }, { name: 'sort-by', type: 'string', values: ['cpu', 'memory'], description: 'Sort by cpu or memory' }],
      run: lazy(topCmd, 'runTopPods'),
    },
  ],
};

export const wait: CommandSpec = {
  name: 'wait',
  summary: 'Experimental: Wait for a specific condition on one or many resources',
  usage: 'coxctl wait ([-f FILENAME] | TYPE[/NAME] | -l label | --all) [--for=delete|--for=condition=C[=V]|--for=jsonpath={…}=V] [flags]',
  examples: `# Until a pod is Ready
coxctl wait --for=condition=Ready pod/web-0

# Until every VMI labelled app=db is Ready, for at most 5 minutes
coxctl wait --for=condition=Ready vmi -l app=db --timeout=5m

# Until a deployment has 3 available replicas
coxctl wait --for=jsonpath='{.status.availableReplicas}'=3 deployment/web

# Until a pod is gone
coxctl wait --for=delete pod/web-0 --timeout=60s`,
  argsComplete: 'resource',
  flags: [
    { name: 'for', type: 'string', description: 'delete | condition=NAME[=VALUE] | jsonpath={PATH}=VALUE | create' },
    { ...TIMEOUT, default: '30s' },
    SELECTOR,
    FIELD_SELECTOR,
    { name: 'all', type: 'bool', description: 'Every resource of the type in the namespace' },
    ALL_NAMESPACES,
    FILENAME,
    OUTPUT_NAME,
  ],
  run: lazy(waitCmd, 'runWait'),
};
