// Flags shared by several commands, declared once so their help and completion agree.
import { FlagSpec } from './spec';

export const GLOBAL_FLAGS: FlagSpec[] = [
  { name: 'kubeconfig', type: 'string', description: 'Path to the kubeconfig file to use for CLI requests.', complete: 'file' },
  { name: 'context', type: 'string', description: 'The name of the kubeconfig context to use', complete: 'context' },
  { name: 'cluster', type: 'string', description: 'The name of the kubeconfig cluster to use', complete: 'cluster' },
  { name: 'user', type: 'string', description: 'The name of the kubeconfig user to use', complete: 'user' },
  { name: 'namespace', short: 'n', type: 'string', description: 'If present, the namespace scope for this CLI request', complete: 'namespace' },
  { name: 'server', short: 's', type: 'string', description: 'The address and port of the API server' },
  { name: 'token', type: 'string', description: 'Bearer token for authentication to the API server' },
  { name: 'insecure-skip-tls-verify', type: 'bool', description: "If true, the server's certificate will not be checked for validity" },
  { name: 'request-timeout', type: 'string', default: '0', description: 'How long to wait for a single server request (e.g. 1s, 2m); 0 means no explicit timeout' },
  { name: 'v', short: 'v', type: 'int', default: 0, description: 'Log level (accepted for kubectl compatibility)', hidden: true },
];

export const OUTPUT: FlagSpec = {
  name: 'output',
  short: 'o',
  type: 'string',
  valueName: 'format',
  description: 'Output format: json|yaml|name|wide|jsonpath=…|jsonpath-file=…|custom-columns=…|custom-columns-file=…',
};

export const OUTPUT_NAME: FlagSpec = { ...OUTPUT, description: 'Output format: json|yaml|name (default: a message per object)' };

export const FILENAME: FlagSpec = { name: 'filename', short: 'f', type: 'strings', valueName: 'file', description: "Files, directories or URLs of manifests ('-' reads stdin)", complete: 'file' };
export const RECURSIVE: FlagSpec = { name: 'recursive', short: 'R', type: 'bool', description: 'Process the directory used in -f recursively' };
export const SELECTOR: FlagSpec = { name: 'selector', short: 'l', type: 'string', description: 'Label selector (e.g. -l key1=value1,key2 in (a,b))' };
export const FIELD_SELECTOR: FlagSpec = { name: 'field-selector', type: 'string', description: 'Field selector (e.g. --field-selector status.phase=Running)' };
export const ALL_NAMESPACES: FlagSpec = { name: 'all-namespaces', short: 'A', type: 'bool', description: 'Across all namespaces (namespace in the context or -n is ignored)' };
export const DRY_RUN: FlagSpec = { name: 'dry-run', type: 'string', values: ['none', 'client', 'server'], noOptDefault: 'client', default: 'none', description: 'none, client (print only) or server (validated by the server, not persisted)' };
export const TIMEOUT: FlagSpec = { name: 'timeout', type: 'string', valueName: 'duration', description: 'How long to wait before giving up (e.g. 30s, 5m; 0 = wait forever)' };
export const SHOW_LABELS: FlagSpec = { name: 'show-labels', type: 'bool', description: 'Show all labels as the last column' };
export const NO_HEADERS: FlagSpec = { name: 'no-headers', type: 'bool', description: "Don't print headers" };
export const FIELD_MANAGER: FlagSpec = { name: 'field-manager', type: 'string', default: 'coxctl', description: 'Name of the manager used to track field ownership' };

/** exec and attach: which container, and how the session's stdin and terminal are wired. */
export const SESSION_FLAGS: FlagSpec[] = [
  { name: 'container', short: 'c', type: 'string', description: 'Container name (default: the pod’s default container)', complete: 'container' },
  { name: 'stdin', short: 'i', type: 'bool', description: 'Pass stdin to the container' },
  { name: 'tty', short: 't', type: 'bool', description: 'Stdin is a TTY' },
  { name: 'quiet', short: 'q', type: 'bool', description: 'Only print output from the remote session' },
];
