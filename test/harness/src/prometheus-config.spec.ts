import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hostPort, renderPrometheusConfig, writePrometheusConfig } from './prometheus-config';

const RULES = join(__dirname, '../../../deploy/prometheus/rules.yml');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promcfg-'));
  await writeFile(join(dir, 'ca.crt'), 'not read by check config\n');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const targets = () => ({
  apiserver: '127.0.0.1:6443',
  etcd: hostPort('http://127.0.0.1:2379'),
  scheduler: '127.0.0.1:40001',
  controllerManager: '127.0.0.1:40002',
  nodeAgents: ['10.150.3.1:10255', '10.150.3.2:10255'],
  caFile: join(dir, 'ca.crt'),
  ruleFiles: [RULES],
});

describe('prometheus config for a running cluster', () => {
  it('passes promtool check config, rules included', async () => {
    const path = await writePrometheusConfig(dir, targets(), 'tok-123');
    const r = spawnSync('promtool', ['check', 'config', path], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
    expect(await readFile(join(dir, 'prometheus-token'), 'utf8')).toBe('tok-123\n');
  });

  it('scrapes every component, the API server over TLS with the token file', () => {
    const text = renderPrometheusConfig({ ...targets(), tokenFile: '/x/token' });
    for (const jobName of ['apiserver', 'etcd', 'scheduler', 'controller-manager', 'node-agents']) expect(text).toContain(`- job_name: ${jobName}\n`);
    expect(text).toContain('scheme: https');
    expect(text).toContain('credentials_file: "/x/token"');
    expect(text).toContain('targets: ["10.150.3.1:10255", "10.150.3.2:10255"]');
  });

  it('lists every instance of an HA control plane', () => {
    const text = renderPrometheusConfig({ ...targets(), apiserver: ['10.1.0.1:6443', '10.1.0.1:6444'], etcd: ['127.0.0.1:1', '127.0.0.1:2', '127.0.0.1:3'], scheduler: ['127.0.0.1:5', '127.0.0.1:6'], controllerManager: ['127.0.0.1:7', '127.0.0.1:8'], tokenFile: '/t' });
    for (const line of ['targets: ["10.1.0.1:6443", "10.1.0.1:6444"]', 'targets: ["127.0.0.1:1", "127.0.0.1:2", "127.0.0.1:3"]', 'targets: ["127.0.0.1:5", "127.0.0.1:6"]', 'targets: ["127.0.0.1:7", "127.0.0.1:8"]']) expect(text).toContain(line);
  });

  it('leaves out components that are not running', () => {
    const text = renderPrometheusConfig({ ...targets(), scheduler: undefined, nodeAgents: [], tokenFile: '/t' });
    expect(text).not.toContain('job_name: scheduler');
    expect(text).not.toContain('job_name: node-agents');
  });

  it('is rejected by promtool when broken (the check means something)', async () => {
    const path = join(dir, 'bad.yml');
    await writeFile(path, renderPrometheusConfig({ ...targets(), tokenFile: join(dir, 't') }).replace('scrape_interval: 15s', 'scrape_interval: soon'));
    expect(spawnSync('promtool', ['check', 'config', path], { encoding: 'utf8' }).status).not.toBe(0);
  });
});
