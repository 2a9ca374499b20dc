// The Prometheus configuration that discovers a cluster from its API, the way Kubernetes
// users scrape: node agents from role node, the API server from the `kubernetes` Service's
// EndpointSlice, and pods that opt in with the `prometheus.io/scrape` annotation. One
// renderer, two discovery mechanisms with identical relabelling: `kubernetes` writes
// kubernetes_sd_configs (upstream Prometheus; deploy/prometheus/prometheus.yml), `http` writes
// http_sd_configs against the API server's GET /prometheus/sd/<role>, which serves the same
// target groups (Debian's Prometheus is built without kubernetes_sd_configs).
// etcd, the scheduler and the controller-manager are host processes, not pods: static targets.

export interface PrometheusSdOptions {
  discovery: 'kubernetes' | 'http';
  /** https://host:port of the API server. */
  apiserverUrl: string;
  caFile: string;
  tokenFile: string;
  /** host:port of the components that are not pods; left out when undefined. */
  /** host:port, or every instance's (an HA control plane). */
  etcd?: string | string[];
  scheduler?: string | string[];
  controllerManager?: string | string[];
  /** The node agents' metrics port (plain HTTP, like the kubelet's read-only port). */
  nodeAgentMetricsPort?: number;
  ruleFiles?: string[];
  scrapeInterval?: string;
  /** Comment lines written at the top. */
  header?: string[];
}

const q = JSON.stringify;

// `type: Bearer` spelled out: Prometheus 2.42's http_sd_configs skip the HTTP client config's
// defaulting and would send the bare token as the Authorization header.
function auth(o: PrometheusSdOptions, indent: string): string[] {
  return [`${indent}authorization:`, `${indent}  type: Bearer`, `${indent}  credentials_file: ${q(o.tokenFile)}`, `${indent}tls_config:`, `${indent}  ca_file: ${q(o.caFile)}`];
}

function discover(o: PrometheusSdOptions, role: 'node' | 'pod' | 'endpointslice'): string[] {
  if (o.discovery === 'kubernetes') return ['    kubernetes_sd_configs:', `      - role: ${role}`, `        api_server: ${q(o.apiserverUrl)}`, ...auth(o, '        ')];
  return ['    http_sd_configs:', `      - url: ${q(`${o.apiserverUrl}/prometheus/sd/${role}`)}`, '        refresh_interval: 15s', ...auth(o, '        ')];
}

const staticJob = (name: string, target: string | string[]) => [`  - job_name: ${name}`, '    static_configs:', `      - targets: [${(Array.isArray(target) ? target : [target]).map((t) => q(t)).join(', ')}]`];

/** Renders prometheus.yml (YAML; strings JSON-quoted, which YAML reads as-is). */
export function renderPrometheusSdConfig(o: PrometheusSdOptions): string {
  const lines = [...(o.header ?? []).map((l) => `# ${l}`.trimEnd()), 'global:', `  scrape_interval: ${o.scrapeInterval ?? '15s'}`, `  evaluation_interval: ${o.scrapeInterval ?? '15s'}`];
  if (o.ruleFiles?.length) lines.push('rule_files:', ...o.ruleFiles.map((f) => `  - ${q(f)}`));
  lines.push(
    'scrape_configs:',
    // The API server: endpoints of default/kubernetes, port https (kube-prometheus' job).
    '  - job_name: apiserver',
    '    scheme: https',
    ...auth(o, '    '),
    ...discover(o, 'endpointslice'),
    '    relabel_configs:',
    '      - source_labels: [__meta_kubernetes_namespace, __meta_kubernetes_service_name, __meta_kubernetes_endpointslice_port_name]',
    '        regex: default;kubernetes;https',
    '        action: keep',
    // Node agents: every Node's InternalIP on the agent's metrics port; instance = node name.
    '  - job_name: node-agents',
    ...discover(o, 'node'),
    '    relabel_configs:',
    '      - source_labels: [__meta_kubernetes_node_address_InternalIP]',
    '        regex: (.+)',
    `        replacement: \${1}:${o.nodeAgentMetricsPort ?? 10255}`,
    '        target_label: __address__',
    '      - source_labels: [__meta_kubernetes_node_name]',
    '        target_label: node',
    // Pods that ask to be scraped: prometheus.io/scrape, /port, /path annotations.
    '  - job_name: pods',
    ...discover(o, 'pod'),
    '    relabel_configs:',
    '      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape]',
    '        regex: "true"',
    '        action: keep',
    '      - source_labels: [__meta_kubernetes_pod_phase]',
    '        regex: Running',
    '        action: keep',
    '      - source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path]',
    '        regex: (.+)',
    '        target_label: __metrics_path__',
    '      - source_labels: [__meta_kubernetes_pod_ip, __meta_kubernetes_pod_annotation_prometheus_io_port]',
    '        regex: (.+);(\\d+)',
    '        replacement: ${1}:${2}',
    '        target_label: __address__',
    '      - source_labels: [__meta_kubernetes_namespace]',
    '        target_label: namespace',
    '      - source_labels: [__meta_kubernetes_pod_name]',
    '        target_label: pod',
  );
  if (o.etcd) lines.push(...staticJob('etcd', o.etcd));
  if (o.scheduler) lines.push(...staticJob('scheduler', o.scheduler));
  if (o.controllerManager) lines.push(...staticJob('controller-manager', o.controllerManager));
  return `${lines.join('\n')}\n`;
}

/** deploy/prometheus/prometheus.yml: the config shipped for upstream Prometheus and a hand-run cluster. */
export const SHIPPED_SD_CONFIG: PrometheusSdOptions = {
  discovery: 'kubernetes',
  apiserverUrl: 'https://127.0.0.1:6443',
  caFile: '../../.coxswain/pki/ca.crt',
  tokenFile: '../../.coxswain/prometheus-token',
  etcd: '127.0.0.1:2379',
  scheduler: '127.0.0.1:10259',
  controllerManager: '127.0.0.1:10257',
  ruleFiles: ['rules.yml'],
  header: [
    'Prometheus discovering a Coxswain cluster through its API (kubernetes_sd_configs), as Kubernetes',
    'users scrape. Paths are relative to this file (the state `npm run up` keeps in .coxswain/);',
    'api_server and the static targets (etcd, scheduler, controller-manager run outside pods) are',
    'placeholders to adjust. Debian\'s Prometheus is built without',
    'kubernetes_sd_configs: use the `.coxswain/prometheus-sd.yml` that `npm run up` writes, the same',
    'jobs over http_sd_configs (GET /prometheus/sd/<role> on the API server).',
    'Generated by test/harness/src/prometheus-sd-config.ts (renderPrometheusSdConfig(SHIPPED_SD_CONFIG));',
    'test/harness/src/prometheus-sd-config.spec.ts keeps the two equal.',
  ],
};
