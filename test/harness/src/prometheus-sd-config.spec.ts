import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderPrometheusSdConfig, SHIPPED_SD_CONFIG } from './prometheus-sd-config';

const SHIPPED = join(__dirname, '../../../deploy/prometheus/prometheus.yml');
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'promsd-'));
  await writeFile(join(dir, 'ca.crt'), 'not read by check config\n');
  await writeFile(join(dir, 'token'), 't\n');
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe('prometheus config discovering the cluster through its API', () => {
  it('deploy/prometheus/prometheus.yml is the kubernetes_sd_configs rendering', async () => {
    expect(await readFile(SHIPPED, 'utf8')).toBe(renderPrometheusSdConfig(SHIPPED_SD_CONFIG));
  });

  it('uses kubernetes_sd_configs roles endpointslice, node and pod against the API server', () => {
    const text = renderPrometheusSdConfig(SHIPPED_SD_CONFIG);
    for (const role of ['endpointslice', 'node', 'pod']) expect(text).toContain(`- role: ${role}\n        api_server: "https://127.0.0.1:6443"`);
    expect(text).not.toContain('    http_sd_configs:');
  });

  it('the http_sd rendering passes Debian promtool check config', async () => {
    const path = join(dir, 'sd.yml');
    const o = { ...SHIPPED_SD_CONFIG, discovery: 'http' as const, caFile: join(dir, 'ca.crt'), tokenFile: join(dir, 'token'), ruleFiles: [] };
    await writeFile(path, renderPrometheusSdConfig(o));
    const r = spawnSync('promtool', ['check', 'config', path], { encoding: 'utf8' });
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
    expect(await readFile(path, 'utf8')).toContain('url: "https://127.0.0.1:6443/prometheus/sd/node"');
  });

  it('both renderings relabel identically (only the discovery block differs)', () => {
    const strip = (t: string) => t.split('\n').filter((l) => !/_sd_configs:|- role:|- url:|api_server:|refresh_interval:/.test(l)).join('\n');
    expect(strip(renderPrometheusSdConfig({ ...SHIPPED_SD_CONFIG, discovery: 'http' }))).toBe(strip(renderPrometheusSdConfig(SHIPPED_SD_CONFIG)));
  });
});
