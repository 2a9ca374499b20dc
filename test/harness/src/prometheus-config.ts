// The Prometheus configuration for a running cluster: static targets for every component,
// the API server over TLS with a read-only bearer token file and the cluster CA. Debian's
// Prometheus has no kubernetes_sd_configs, so the launcher writes concrete addresses (and
// prometheus-sd.yml, discovery over the API server's http_sd endpoint).
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderPrometheusSdConfig } from './prometheus-sd-config';

export interface PrometheusTargets {
  /** host:port of each, as Prometheus should dial them; a list for every instance of an HA control plane. */
  apiserver: string | string[];
  etcd: string | string[];
  scheduler?: string | string[];
  controllerManager?: string | string[];
  nodeAgents: string[];
  /** Files Prometheus reads (absolute paths). */
  caFile: string;
  tokenFile: string;
  /** Rule files to load (absolute paths). */
  ruleFiles?: string[];
  scrapeInterval?: string;
}

const all = (t: string | string[]): string[] => (Array.isArray(t) ? t : [t]);
const job = (name: string, targets: string[]) => [`  - job_name: ${name}`, '    static_configs:', `      - targets: [${targets.map((t) => JSON.stringify(t)).join(', ')}]`];

/** Renders prometheus.yml (YAML; strings JSON-quoted, which YAML reads as-is). */
export function renderPrometheusConfig(t: PrometheusTargets): string {
  const lines = ['# Written by the Coxswain launcher for this cluster; regenerated on every start.', 'global:', `  scrape_interval: ${t.scrapeInterval ?? '15s'}`, `  evaluation_interval: ${t.scrapeInterval ?? '15s'}`];
  if (t.ruleFiles?.length) lines.push('rule_files:', ...t.ruleFiles.map((f) => `  - ${JSON.stringify(f)}`));
  lines.push(
    'scrape_configs:',
    '  - job_name: apiserver',
    '    scheme: https',
    '    authorization:',
    `      credentials_file: ${JSON.stringify(t.tokenFile)}`,
    '    tls_config:',
    `      ca_file: ${JSON.stringify(t.caFile)}`,
    '    static_configs:',
    `      - targets: [${all(t.apiserver).map((a) => JSON.stringify(a)).join(', ')}]`,
    ...job('etcd', all(t.etcd)),
  );
  if (t.scheduler?.length) lines.push(...job('scheduler', all(t.scheduler)));
  if (t.controllerManager?.length) lines.push(...job('controller-manager', all(t.controllerManager)));
  if (t.nodeAgents.length) lines.push(...job('node-agents', t.nodeAgents));
  return `${lines.join('\n')}\n`;
}

/** host:port of a URL (http://127.0.0.1:2379 → 127.0.0.1:2379). */
export const hostPort = (url: string): string => new URL(url).host;

/**
 * Writes <dir>/prometheus.yml (static targets), <dir>/prometheus-sd.yml (the same cluster
 * discovered through the API server's http_sd endpoint) and the token file both name; returns
 * the static config's path.
 */
export async function writePrometheusConfig(dir: string, targets: Omit<PrometheusTargets, 'tokenFile'>, token: string): Promise<string> {
  const tokenFile = join(dir, 'prometheus-token');
  await writeFile(tokenFile, `${token}\n`, { mode: 0o600 });
  const path = join(dir, 'prometheus.yml');
  await writeFile(path, renderPrometheusConfig({ ...targets, tokenFile }));
  const sd = renderPrometheusSdConfig({
    discovery: 'http',
    apiserverUrl: `https://${all(targets.apiserver)[0]}`,
    caFile: targets.caFile,
    tokenFile,
    etcd: targets.etcd,
    scheduler: targets.scheduler,
    controllerManager: targets.controllerManager,
    ruleFiles: targets.ruleFiles,
    scrapeInterval: targets.scrapeInterval,
    header: ['Written by the Coxswain launcher for this cluster: the API server, node agents and annotated pods', 'discovered through the API server (http_sd_configs); regenerated on every start.'],
  });
  await writeFile(join(dir, 'prometheus-sd.yml'), sd);
  return path;
}
