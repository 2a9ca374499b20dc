// The systemd units in deploy/systemd are what a real host installs: systemd-analyze (Debian's
// systemd) must accept them, and they must pass the flags node identity needs.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appEnv, nodeFlags } from '@coxswain/harness';

const DIR = join(__dirname, '..', '..', 'deploy', 'systemd');
const units = readdirSync(DIR).filter((f) => f.endsWith('.service'));
const unitLines = (unit: string) => readFileSync(join(DIR, unit), 'utf8').split('\n');
const execStart = (unit: string) => unitLines(unit).find((l) => l.startsWith('ExecStart='))!;

describe('deploy/systemd units', () => {
  it('exist for every component', () => {
    expect(units.sort()).toEqual(['coxswain-apiserver.service', 'coxswain-controller-manager.service', 'coxswain-node-agent.service', 'coxswain-scheduler.service']);
  });

  it('pass systemd-analyze verify (Debian\'s systemd, installed by deploy/install-deps.sh)', () => {
    const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find(existsSync);
    expect(analyze).toBeDefined();
    // Throws with systemd's complaints on stderr when a unit is malformed.
    execFileSync(analyze!, ['verify', ...units.map((u) => join(DIR, u))], { stdio: 'pipe', timeout: 30_000 });
  });

  it.each([
    ['coxswain-apiserver.service', ['--client-ca-file', '--enable-bootstrap-token-auth']],
    ['coxswain-controller-manager.service', ['--cluster-signing-cert-file', '--cluster-signing-key-file']],
    ['coxswain-node-agent.service', ['--bootstrap-kubeconfig', '--rotate-server-certificates', '--client-ca-file']],
  ])('%s carries the node identity flags', (unit, flags) => {
    for (const flag of flags) expect(execStart(unit)).toContain(` ${flag}`);
  });

  // A host runs what the suite and the benchmarks measured: the same V8 flags and environment.
  it.each(units)('%s runs node with the harness\'s V8 flags and environment', (unit) => {
    const app = unit.replace(/^coxswain-|\.service$/g, '');
    const words = execStart(unit).replace(/^ExecStart=/, '').split(' ');
    const main = words.findIndex((w) => w.endsWith(`/dist/apps/${app}/src/main.js`));
    expect(words.slice(0, main)).toEqual(['/usr/bin/node', ...nodeFlags(app)]);
    const environment = unitLines(unit).filter((l) => l.startsWith('Environment=')).flatMap((l) => l.slice('Environment='.length).split(' '));
    expect(Object.fromEntries(environment.map((kv) => kv.split('=') as [string, string]))).toEqual(appEnv(app));
  });
});
