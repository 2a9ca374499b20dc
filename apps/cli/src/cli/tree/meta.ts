// Discovery, documentation and client configuration: explain, api-resources, api-versions, version, config.
import { NO_HEADERS } from '../flags';
import { lazy, configCmd, discoveryCmd, explainCmd } from '../lazy';
import { CommandSpec } from '../spec';

export const explain: CommandSpec = {
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

export const apiResources: CommandSpec = {
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

export const apiVersions: CommandSpec = {
  name: 'api-versions',
  summary: 'Print the supported API versions on the server, in the form of "group/version"',
  usage: 'coxctl api-versions',
  examples: `coxctl api-versions`,
  run: lazy(discoveryCmd, 'runApiVersions'),
};

export const version: CommandSpec = {
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

export const config: CommandSpec = {
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
