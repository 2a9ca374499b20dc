// deploy/prometheus/rules.yml loads in Prometheus (`promtool check rules`) and every alert
// behaves as rules.test.yml says (`promtool test rules`).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, '../../deploy/prometheus');
const promtool = (...args: string[]) => spawnSync('promtool', args, { cwd: DIR, encoding: 'utf8' });

describe('deploy/prometheus rules', () => {
  it('pass promtool check rules', () => {
    const r = promtool('check', 'rules', '--lint=all', '--lint-fatal', 'rules.yml');
    expect(r.stdout + r.stderr).toMatch(/SUCCESS: \d+ rules found/);
    expect(r.status).toBe(0);
  });

  it('pass promtool test rules', () => {
    const r = promtool('test', 'rules', 'rules.test.yml');
    expect(r.stdout + r.stderr).toContain('SUCCESS');
    expect(r.status).toBe(0);
  });

  it('name every alert the runbook promises', () => {
    const text = readFileSync(join(DIR, 'rules.yml'), 'utf8');
    for (const alert of ['NodeNotReady', 'PodCrashLooping', 'DeploymentReplicasMismatch', 'VMIFailed', 'APIServerErrorsHigh', 'EtcdNoLeader']) expect(text).toMatch(new RegExp(`^\\s+- alert: ${alert}$`, 'm'));
  });
});
