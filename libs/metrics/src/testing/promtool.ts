// Runs `promtool check metrics` on an exposition and returns its findings, minus the one
// we accept on purpose: KubeVirt names its VMI gauge kubevirt_vmi_phase_count, and users'
// rules and dashboards (KubeVirt's own included) query that name, so we keep it although
// the linter reserves `_count` for histograms and summaries.
import { spawnSync } from 'node:child_process';

export const ACCEPTED_LINT = [/^kubevirt_vmi_phase_count non-histogram and non-summary metrics should not have "_count" suffix$/];

export function promtoolFindings(exposition: string): string[] {
  const result = spawnSync('promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
  if (result.error) throw result.error;
  const lines = `${result.stdout}\n${result.stderr}`.split('\n').map((l) => l.trim());
  return lines.filter((l) => l && !ACCEPTED_LINT.some((re) => re.test(l)));
}
