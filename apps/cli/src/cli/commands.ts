// The coxctl command tree: names, flags, help and examples. Implementations load lazily
// from ../commands so `--help` and shell completion do not pay for them.
import { ALL_NAMESPACES, DRY_RUN, FIELD_MANAGER, FIELD_SELECTOR, FILENAME, NO_HEADERS, OUTPUT, OUTPUT_NAME, RECURSIVE, SELECTOR, SHOW_LABELS, TIMEOUT } from './flags';
import { CommandSpec, RunFn } from './spec';

// require() keeps this CommonJS build lazy without ESM-style extension rules.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const load = <M>(path: string): Promise<M> => Promise.resolve(require(path) as M);

const lazy =
  <M extends Record<string, unknown>>(load: () => Promise<M>, key: keyof M & string) =>
  async (): Promise<RunFn> =>
    (await load())[key] as RunFn;

const getCmd = () => load<typeof import('../commands/get')>('../commands/get');
const applyCmd = () => load<typeof import('../commands/apply')>('../commands/apply');
const deleteCmd = () => load<typeof import('../commands/delete')>('../commands/delete');
const describeCmd = () => load<typeof import('../commands/describe')>('../commands/describe');
const editCmd = () => load<typeof import('../commands/edit')>('../commands/edit');
const scaleCmd = () => load<typeof import('../commands/scale')>('../commands/scale');
const rolloutCmd = () => load<typeof import('../commands/rollout')>('../commands/rollout');
const nodeCmd = () => load<typeof import('../commands/node')>('../commands/node');
const waitCmd = () => load<typeof import('../commands/wait')>('../commands/wait');
const explainCmd = () => load<typeof import('../commands/explain')>('../commands/explain');
const discoveryCmd = () => load<typeof import('../commands/discovery')>('../commands/discovery');
const configCmd = () => load<typeof import('../commands/config')>('../commands/config');
const logsCmd = () => load<typeof import('../commands/logs')>('../commands/logs');
const execCmd = () => load<typeof import('../commands/exec')>('../commands/exec');
const topCmd = () => load<typeof import('../commands/top')>('../commands/top');
const vmCmd = () => load<typeof import('../commands/vm')>('../commands/vm');
const whyCmd = () => load<typeof import('../commands/why')>('../commands/why');
const completionCmd = () => load<typeof import('../commands/completion')>('../commands/completion');

const get: CommandSpec = {
  name: 'get',
  summary: 'Display one or many resources',
  description: `Display one or many resources.

Prints a table of the most important information about the specified resources. Filter
with a label selector (-l) or field selector (--field-selector). Several types can be
given at once (pods,deployments) and "all" lists every workload kind.`,
  usage: 'coxctl get [(-o|--output=)json|yaml|name|wide|jsonpath=…|custom-columns=…] (TYPE[.GROUP] [NAME …] | TYPE[.GROUP]/NAME …) [flags]',
  examples: `# List all pods in the current namespace
coxctl get pods

# List pods with their node and IP
coxctl get pods -o wide

# One deployment as YAML
coxctl get deployment web -o yaml

# Pods and deployments across all namespaces
coxctl get pods,deployments -A

# Names of pods labelled app=web, one per line
coxctl get pods -l app=web -o name

# The image of every container with jsonpath
coxctl get pods -o jsonpath='{range .items[*]}{.metadata.name}{"\\t"}{.spec.containers[0].image}{"\\n"}{end}'

# Your own columns
coxctl get pods -o custom-columns=NAME:.metadata.name,NODE:.spec.nodeName

# Watch pods change
coxctl get pods -w

# VMs and their instances
coxctl get vm,vmi`,
  argsComplete: 'resource',
  flags: [
    OUTPUT,
    SELECTOR,
    FIELD_SELECTOR,
    ALL_NAMESPACES,
    { name: 'watch', short: 'w', type: 'bool', description: 'After listing, watch for changes' },
    { name: 'watch-only', type: 'bool', description: 'Watch for changes without listing first' },
    { name: 'output-watch-events', type: 'bool', description: 'With --watch, print the event type (ADDED, MODIFIED, DELETED)' },
    SHOW_LABELS,
    { name: 'label-columns', short: 'L', type: 'strings', valueName: 'keys', description: 'Label keys to show as columns' },
    NO_HEADERS,
    { name: 'sort-by', type: 'string', valueName: 'jsonpath', description: 'Sort list output by this field (e.g. .metadata.creationTimestamp)' },
    { name: 'ignore-not-found', type: 'bool', description: 'Do not fail when a named object does not exist' },
    { name: 'chunk-size', type: 'int', default: 500, description: 'Fetch large lists in pages of this size (0 = one request)' },
    FILENAME,
    RECURSIVE,
  ],
  run: lazy(getCmd, 'runGet'),
};

const apply: CommandSpec = {
  name: 'apply',
  summary: 'Apply a configuration to a resource by file name or stdin',
  description: `Apply a configuration to a resource by file name or stdin.

Creates objects that do not exist and updates those that do, remembering what was applied
in the kubectl.kubernetes.io/last-applied-configuration annotation so fields removed from
the file are removed from the object (a three-way merge), or with --server-side lets the
server merge and track field ownership. YAML (one or more documents) and JSON are accepted.`,
  usage: 'coxctl apply (-f FILENAME | -f DIRECTORY [-R] | -f -) [flags]',
  examples: `# Apply a manifest
coxctl apply -f web.yaml

# Apply every manifest in a directory tree
coxctl apply -f manifests/ -R

# Apply from stdin
cat web.yaml | coxctl apply -f -

# Let the server merge (server-side apply)
coxctl apply --server-side -f web.yaml

# See what would be sent without changing anything
coxctl apply -f web.yaml --dry-run=server -o yaml`,
  flags: [
    FILENAME,
    RECURSIVE,
    OUTPUT_NAME,
    DRY_RUN,
    { name: 'server-side', type: 'bool', description: 'Let the server apply (server-side apply)' },
    { name: 'force-conflicts', type: 'bool', description: 'With --server-side, take ownership of fields other managers own' },
    FIELD_MANAGER,
  ],
  run: lazy(applyCmd, 'runApply'),
};

const create: CommandSpec = {
  name: 'create',
  summary: 'Create a resource from a file or from stdin',
  usage: 'coxctl create -f FILENAME | coxctl create (namespace|deployment) NAME [flags]',
  examples: `# Create what a manifest describes
coxctl create -f web.yaml

# Create a namespace
coxctl create namespace team-a

# Create a deployment running busybox with 3 replicas
coxctl create deployment web --image=busybox:1.36 --replicas=3 -- sleep 3600`,
  flags: [FILENAME, RECURSIVE, OUTPUT_NAME, DRY_RUN, FIELD_MANAGER],
  subcommands: [
    {
      name: 'namespace',
      aliases: ['ns'],
      summary: 'Create a namespace with the specified name',
      usage: 'coxctl create namespace NAME [--dry-run=none|client|server] [flags]',
      examples: `# Create a namespace named team-a\ncoxctl create namespace team-a`,
      run: lazy(applyCmd, 'runCreateNamespace'),
    },
    {
      name: 'deployment',
      aliases: ['deploy'],
      summary: 'Create a deployment with the specified name',
      usage: 'coxctl create deployment NAME --image=image [--replicas=N] [--port=N] [-- COMMAND [args...]] [flags]',
      examples: `# A deployment named web running nginx\ncoxctl create deployment web --image=nginx\n\n# Three replicas of busybox running a command\ncoxctl create deployment web --image=busybox --replicas=3 -- sleep 3600`,
      flags: [
        { name: 'image', type: 'strings', description: 'Image names to run (one container per image)' },
        { name: 'replicas', short: 'r', type: 'int', default: 1, description: 'Number of replicas to create' },
        { name: 'port', type: 'int', default: -1, description: 'The containerPort this deployment exposes' },
      ],
      run: lazy(applyCmd, 'runCreateDeployment'),
    },
  ],
  run: lazy(applyCmd, 'runCreate'),
};

const del: CommandSpec = {
  name: 'delete',
  summary: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  usage: 'coxctl delete ([-f FILENAME] | TYPE [(NAME | -l label | --all)]) [flags]',
  examples: `# Delete a pod
coxctl delete pod web-0

# Delete what a manifest describes
coxctl delete -f web.yaml

# Delete pods labelled app=web
coxctl delete pods -l app=web

# Delete every deployment in the namespace, keeping their replica sets (orphan)
coxctl delete deployments --all --cascade=orphan

# Return at once instead of waiting for the objects to be gone
coxctl delete vm my-vm --wait=false`,
  argsComplete: 'resource',
  flags: [
    FILENAME,
    RECURSIVE,
    SELECTOR,
    FIELD_SELECTOR,
    ALL_NAMESPACES,
    { name: 'all', type: 'bool', description: 'Delete all resources of the type in the namespace' },
    { name: 'cascade', type: 'string', values: ['background', 'foreground', 'orphan', 'true', 'false'], noOptDefault: 'background', default: 'background', description: 'background, foreground or orphan: what happens to dependents' },
    { name: 'wait', type: 'bool', default: true, description: 'Wait until the objects are gone (finalizers done)' },
    { name: 'grace-period', type: 'int', default: -1, description: 'Seconds given to the object to terminate gracefully (-1: its default)' },
    { name: 'now', type: 'bool', description: 'Signal the object to stop immediately (grace period 1)' },
    { name: 'force', type: 'bool', description: 'With --grace-period=0, remove at once without waiting for the node' },
    { name: 'ignore-not-found', type: 'bool', description: 'Treat "not found" as a successful delete' },
    TIMEOUT,
    OUTPUT_NAME,
    DRY_RUN,
  ],
  run: lazy(deleteCmd, 'runDelete'),
};

const describe: CommandSpec = {
  name: 'describe',
  summary: 'Show details of a specific resource or group of resources',
  usage: 'coxctl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [flags]',
  examples: `# Describe a node
coxctl describe node node-1

# Describe a pod, with its events
coxctl describe pod web-0

# Describe every pod whose name starts with web
coxctl describe pods web

# Describe a VM instance
coxctl describe vmi my-vm`,
  argsComplete: 'resource',
  flags: [FILENAME, RECURSIVE, SELECTOR, ALL_NAMESPACES, { name: 'show-events', type: 'bool', default: true, description: 'Show events related to the described object' }],
  run: lazy(describeCmd, 'runDescribe'),
};

const edit: CommandSpec = {
  name: 'edit',
  summary: 'Edit a resource on the server',
  description: `Edit a resource in your editor ($KUBE_EDITOR, else $EDITOR, else vi) and save it back.

The object is opened as YAML (or JSON with -o json). When saving fails, the file reopens
with the error at the top; saving it unchanged gives up.`,
  usage: 'coxctl edit (RESOURCE/NAME | -f FILENAME) [flags]',
  examples: `# Edit a deployment
coxctl edit deployment/web

# Edit in JSON with a different editor
KUBE_EDITOR="nano" coxctl edit vm/my-vm -o json`,
  argsComplete: 'resource',
  flags: [FILENAME, { ...OUTPUT, description: 'Edit in yaml (default) or json' }, FIELD_MANAGER],
  run: lazy(editCmd, 'runEdit'),
};

const logs: CommandSpec = {
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

const exec: CommandSpec = {
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
  flags: [
    { name: 'container', short: 'c', type: 'string', description: 'Container name (default: the pod’s default container)', complete: 'container' },
    { name: 'stdin', short: 'i', type: 'bool', description: 'Pass stdin to the container' },
    { name: 'tty', short: 't', type: 'bool', description: 'Stdin is a TTY' },
    { name: 'quiet', short: 'q', type: 'bool', description: 'Only print output from the remote session' },
  ],
  run: lazy(execCmd, 'runExec'),
};

const scale: CommandSpec = {
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

const autoscale: CommandSpec = {
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

const rollout: CommandSpec = {
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

const top: CommandSpec = {
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

const nodeFlags = [SELECTOR, DRY_RUN];

const cordon: CommandSpec = {
  name: 'cordon',
  summary: 'Mark node as unschedulable',
  usage: 'coxctl cordon NODE [flags]',
  examples: `# No new workloads on node-1\ncoxctl cordon node-1`,
  argsComplete: 'node',
  flags: nodeFlags,
  run: lazy(nodeCmd, 'runCordon'),
};

const uncordon: CommandSpec = {
  name: 'uncordon',
  summary: 'Mark node as schedulable',
  usage: 'coxctl uncordon NODE [flags]',
  examples: `# Let workloads onto node-1 again\ncoxctl uncordon node-1`,
  argsComplete: 'node',
  flags: nodeFlags,
  run: lazy(nodeCmd, 'runUncordon'),
};

const drain: CommandSpec = {
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

const wait: CommandSpec = {
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

const explain: CommandSpec = {
  name: 'explain',
  summary: 'Get documentation for a resource',
  usage: 'coxctl explain TYPE[.FIELD…] [--recursive] [flags]',
  examples: `# What a pod is
coxctl explain pods

# A field and its subfields
coxctl explain deployment.spec.strategy

# Every field of a VM, as a tree
coxctl explain vm.spec --recursive`,
  argsComplete: 'resource-type',
  flags: [
    { name: 'recursive', type: 'bool', description: 'Print the fields of fields (only names and types)' },
    { name: 'api-version', type: 'string', description: 'Use this group/version of the resource' },
  ],
  run: lazy(explainCmd, 'runExplain'),
};

const apiResources: CommandSpec = {
  name: 'api-resources',
  summary: 'Print the supported API resources on the server',
  usage: 'coxctl api-resources [flags]',
  examples: `# Every resource
coxctl api-resources

# Only namespaced ones, with verbs
coxctl api-resources --namespaced=true -o wide

# Just the names, for scripts
coxctl api-resources -o name`,
  flags: [
    { name: 'output', short: 'o', type: 'string', values: ['', 'wide', 'name'], description: 'wide or name' },
    { name: 'namespaced', type: 'string', values: ['true', 'false'], description: 'Only namespaced (true) or cluster-scoped (false) resources' },
    { name: 'api-group', type: 'string', description: 'Only this API group' },
    { name: 'verbs', type: 'strings', description: 'Only resources supporting these verbs' },
    { name: 'sort-by', type: 'string', values: ['name', 'kind'], description: 'Sort by name or kind' },
    NO_HEADERS,
  ],
  run: lazy(discoveryCmd, 'runApiResources'),
};

const apiVersions: CommandSpec = {
  name: 'api-versions',
  summary: 'Print the supported API versions on the server, in the form of "group/version"',
  usage: 'coxctl api-versions',
  examples: `coxctl api-versions`,
  run: lazy(discoveryCmd, 'runApiVersions'),
};

const version: CommandSpec = {
  name: 'version',
  summary: 'Print the client and server version information',
  usage: 'coxctl version [--client] [-o json|yaml] [flags]',
  examples: `# Client and server versions\ncoxctl version\n\n# As JSON\ncoxctl version -o json`,
  flags: [{ name: 'client', type: 'bool', description: 'Only the client version (no server needed)' }, { name: 'output', short: 'o', type: 'string', values: ['', 'json', 'yaml'], description: 'json or yaml' }],
  run: lazy(discoveryCmd, 'runVersion'),
};

const configSub = (name: string, summary: string, usage: string, examples: string, key: string, flags: CommandSpec['flags'] = [], argsComplete?: CommandSpec['argsComplete']): CommandSpec => ({
  name,
  summary,
  usage,
  examples,
  flags,
  argsComplete,
  run: lazy(configCmd, key as never),
});

const config: CommandSpec = {
  name: 'config',
  summary: 'Modify kubeconfig files',
  description: `Modify kubeconfig files using subcommands like "coxctl config set current-context my-context".

The loading order follows kubectl: --kubeconfig alone if set; otherwise the files in
$KUBECONFIG (merged, the first to define a name wins); otherwise ~/.kube/config. Edits go
back to the file that defined the entry.`,
  usage: 'coxctl config SUBCOMMAND',
  examples: `# Switch to another cluster\ncoxctl config use-context prod`,
  subcommands: [
    configSub('get-contexts', 'Describe one or many contexts', 'coxctl config get-contexts [NAME] [-o name] [flags]', `# Every context\ncoxctl config get-contexts\n\n# Just the names\ncoxctl config get-contexts -o name`, 'runGetContexts', [{ name: 'output', short: 'o', type: 'string', values: ['', 'name'], description: 'name' }, NO_HEADERS], 'context'),
    configSub('current-context', 'Display the current-context', 'coxctl config current-context', `coxctl config current-context`, 'runCurrentContext'),
    configSub('use-context', 'Set the current-context in a kubeconfig file', 'coxctl config use-context CONTEXT_NAME', `# Use the context named prod\ncoxctl config use-context prod`, 'runUseContext', [], 'context'),
    configSub(
      'set-context',
      'Set a context entry in kubeconfig',
      'coxctl config set-context [NAME | --current] [--cluster=cluster] [--user=user] [--namespace=namespace]',
      `# Make team-a the default namespace of the current context\ncoxctl config set-context --current --namespace=team-a\n\n# Create or change a context\ncoxctl config set-context dev --cluster=local --user=me --namespace=dev`,
      'runSetContext',
      [{ name: 'current', type: 'bool', description: 'Modify the current context' }],
      'context',
    ),
    configSub('set-cluster', 'Set a cluster entry in kubeconfig', 'coxctl config set-cluster NAME [--server=server] [--certificate-authority=path] [--insecure-skip-tls-verify=true]', `coxctl config set-cluster local --server=https://127.0.0.1:6443 --certificate-authority=ca.crt`, 'runSetCluster', [
      { name: 'certificate-authority', type: 'string', description: 'Path to a CA file', complete: 'file' },
      { name: 'embed-certs', type: 'bool', description: 'Embed the certificate data in the kubeconfig' },
      { name: 'tls-server-name', type: 'string', description: 'Server name to verify the certificate against' },
    ]),
    configSub('set-credentials', 'Set a user entry in kubeconfig', 'coxctl config set-credentials NAME [--token=token] [--client-certificate=path --client-key=path]', `coxctl config set-credentials me --token=abc123`, 'runSetCredentials', [
      { name: 'client-certificate', type: 'string', description: 'Path to a client certificate', complete: 'file' },
      { name: 'client-key', type: 'string', description: 'Path to the client key', complete: 'file' },
      { name: 'username', type: 'string', description: 'Username for basic authentication' },
      { name: 'password', type: 'string', description: 'Password for basic authentication' },
      { name: 'embed-certs', type: 'bool', description: 'Embed the certificate data in the kubeconfig' },
    ]),
    configSub('delete-context', 'Delete the specified context from the kubeconfig', 'coxctl config delete-context NAME', `coxctl config delete-context old`, 'runDeleteContext', [], 'context'),
    configSub('delete-cluster', 'Delete the specified cluster from the kubeconfig', 'coxctl config delete-cluster NAME', `coxctl config delete-cluster old`, 'runDeleteCluster', [], 'cluster'),
    configSub('delete-user', 'Delete the specified user from the kubeconfig', 'coxctl config delete-user NAME', `coxctl config delete-user old`, 'runDeleteUser', [], 'user'),
    configSub('get-clusters', 'Display clusters defined in the kubeconfig', 'coxctl config get-clusters', `coxctl config get-clusters`, 'runGetClusters'),
    configSub('get-users', 'Display users defined in the kubeconfig', 'coxctl config get-users', `coxctl config get-users`, 'runGetUsers'),
    configSub('view', 'Display merged kubeconfig settings or a specified kubeconfig file', 'coxctl config view [--minify] [--raw] [-o json|yaml]', `# Everything, secrets redacted\ncoxctl config view\n\n# Only what the current context uses, with secrets\ncoxctl config view --minify --raw`, 'runView', [
      { name: 'minify', type: 'bool', description: 'Only the current context and what it uses' },
      { name: 'raw', type: 'bool', description: 'Show secrets (tokens, keys) as they are' },
      { name: 'output', short: 'o', type: 'string', values: ['', 'yaml', 'json'], description: 'yaml (default) or json' },
    ]),
  ],
};

const vmSub = (name: string, summary: string, examples: string, key: string, flags: CommandSpec['flags'] = []): CommandSpec => ({
  name,
  summary,
  usage: `coxctl vm ${name}${name === 'list' ? '' : ' NAME'} [flags]`,
  examples,
  argsComplete: name === 'list' ? undefined : 'vm',
  flags,
  run: lazy(vmCmd, key as never),
});

const vm: CommandSpec = {
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

const consoleCmd: CommandSpec = {
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

const why: CommandSpec = {
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

const completion: CommandSpec = {
  name: 'completion',
  summary: 'Output shell completion code for the specified shell (bash or zsh)',
  usage: 'coxctl completion (bash|zsh)',
  examples: `# Load completion into the current bash
source <(coxctl completion bash)

# Install for zsh
coxctl completion zsh > "\${fpath[1]}/_coxctl"`,
  run: lazy(completionCmd, 'runCompletion'),
};

const complete: CommandSpec = {
  name: '__complete',
  summary: 'Completion candidates for the words given (used by the shell scripts)',
  usage: 'coxctl __complete WORDS…',
  hidden: true,
  run: lazy(completionCmd, 'runComplete'),
};

export const ROOT: CommandSpec = {
  name: 'coxctl',
  summary: 'coxctl controls the Coxswain cluster manager.',
  description: `coxctl controls the Coxswain cluster manager: containers and virtual machines side by side.

It speaks the Kubernetes API like kubectl does (same verbs, flags and output), and drives
VMs like virtctl (vm start/stop/restart, console).`,
  usage: 'coxctl [flags] [options]',
  subcommands: [get, describe, create, apply, edit, del, logs, exec, scale, autoscale, rollout, top, cordon, uncordon, drain, wait, vm, consoleCmd, why, explain, apiResources, apiVersions, config, version, completion, complete],
};
