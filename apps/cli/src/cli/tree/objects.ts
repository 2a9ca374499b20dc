// Verbs on API objects: get, describe, create, apply, edit, delete.
import { ALL_NAMESPACES, DRY_RUN, FIELD_MANAGER, FIELD_SELECTOR, FILENAME, NO_HEADERS, OUTPUT, OUTPUT_NAME, RECURSIVE, SELECTOR, SHOW_LABELS, TIMEOUT } from '../flags';
import { lazy, applyCmd, batchCmd, createConfigCmd, deleteCmd, describeCmd, editCmd, getCmd } from '../lazy';
import { CommandSpec } from '../spec';

export const get: CommandSpec = {
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
    { name: 'server-print', type: 'bool', default: true, description: 'If true (the default), have the server return the table output (meta.k8s.io Table); false prints the same printers client-side' },
    FILENAME,
    RECURSIVE,
  ],
  run: lazy(getCmd, 'runGet'),
};

export const apply: CommandSpec = {
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

const FROM_FILE = { name: 'from-file', type: 'strings', description: 'Key files: a file (key = its base name), key=path, or a directory (each regular file)' } as const;
const FROM_LITERAL = { name: 'from-literal', type: 'strings', description: 'A key and literal value (key=value)' } as const;

export const create: CommandSpec = {
  name: 'create',
  summary: 'Create a resource from a file or from stdin',
  usage: 'coxctl create -f FILENAME | coxctl create (namespace|deployment|configmap|secret generic) NAME [flags]',
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
    {
      name: 'configmap',
      aliases: ['cm'],
      summary: 'Create a config map from local files, directories or literal values',
      usage: 'coxctl create configmap NAME [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=none|client|server] [flags]',
      examples: `# A config map from a file (key: its base name) and a literal\ncoxctl create configmap app --from-file=app.properties --from-literal=color=blue`,
      flags: [FROM_FILE, FROM_LITERAL],
      run: lazy(createConfigCmd, 'runCreateConfigMap'),
    },
    {
      name: 'secret',
      summary: 'Create a secret',
      usage: 'coxctl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [flags]',
      subcommands: [
        {
          name: 'generic',
          summary: 'Create a secret from a local file, directory, or literal value',
          usage: 'coxctl create secret generic NAME [--type=string] [--from-file=[key=]source] [--from-literal=key1=value1] [--dry-run=none|client|server] [flags]',
          examples: `# A secret with two keys\ncoxctl create secret generic db --from-literal=user=admin --from-literal=password=s3cr3t`,
          flags: [FROM_FILE, FROM_LITERAL, { name: 'type', type: 'string', description: 'The type of secret to create' }],
          run: lazy(createConfigCmd, 'runCreateSecretGeneric'),
        },
      ],
    },
    {
      name: 'job',
      summary: 'Create a job with the specified name',
      usage: 'coxctl create job NAME (--image=image | --from=cronjob/NAME) [-- COMMAND [args...]] [flags]',
      examples: `# A job running a command\ncoxctl create job pi --image=busybox -- sh -c 'echo done'\n\n# Run a CronJob's job now\ncoxctl create job backup-now --from=cronjob/backup`,
      flags: [
        { name: 'image', type: 'string', default: '', description: 'Image name to run' },
        { name: 'from', type: 'string', default: '', description: 'The name of the resource to create a Job from (only cronjob is supported)' },
      ],
      run: lazy(batchCmd, 'runCreateJob'),
    },
  ],
  run: lazy(applyCmd, 'runCreate'),
};

export const del: CommandSpec = {
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

export const describe: CommandSpec = {
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

export const edit: CommandSpec = {
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
