import type { CronJob, Job } from '../types/batch';
import { cronJobPrinter, jobPrinter } from './batch';
import { controllerRevisionPrinter, daemonSetPrinter, statefulSetPrinter } from './daemon-stateful';
import { podDisruptionBudgetPrinter } from './policy';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const job = (spec: Partial<Job['spec']>, status: Job['status'] = {}): Job =>
  ({ metadata: { name: 'pi', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { template: { spec: { containers: [{ name: 'c', image: 'busybox' }] } }, ...spec }, status }) as Job;

describe('job rows', () => {
  it.each([
    ['running, completions set', job({ completions: 6 }, { succeeded: 2, startTime: '2026-01-01T00:59:00Z' }), ['pi', 'Running', '2/6', '60s', '60m']],
    ['complete', job({ completions: 1 }, { succeeded: 1, startTime: '2026-01-01T00:00:00Z', completionTime: '2026-01-01T00:00:05Z', conditions: [{ type: 'Complete', status: 'True' }] }), ['pi', 'Complete', '1/1', '5s', '60m']],
    ['failed work queue', job({ parallelism: 3 }, { conditions: [{ type: 'Failed', status: 'True' }] }), ['pi', 'Failed', '0/1 of 3', '', '60m']],
    ['suspended', job({ completions: 2 }, { conditions: [{ type: 'Suspended', status: 'True' }] }), ['pi', 'Suspended', '0/2', '', '60m']],
  ])('%s', (_name, j, cells) => {
    expect(jobPrinter.row(j, NOW).cells.slice(0, 5)).toEqual(cells);
  });
});

describe('cronjob rows', () => {
  it('prints schedule, zone, suspend, active and last schedule', () => {
    const cj = { metadata: { name: 'tick', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { schedule: '*/1 * * * *', suspend: false, jobTemplate: { spec: { template: { spec: { containers: [] } } } } }, status: { active: [{ name: 'tick-1' }], lastScheduleTime: '2026-01-01T00:59:00Z' } } as unknown as CronJob;
    expect(cronJobPrinter.row(cj, NOW).cells.slice(0, 7)).toEqual(['tick', '*/1 * * * *', '<none>', false, 1, '60s', '60m']);
  });
});

describe('daemonset and statefulset rows', () => {
  it('prints a DaemonSet like kubectl', () => {
    const ds = { metadata: { name: 'agent', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { selector: { matchLabels: { app: 'a' } }, template: { spec: { nodeSelector: { role: 'w', disk: 'ssd' }, containers: [] } } }, status: { desiredNumberScheduled: 2, currentNumberScheduled: 2, numberReady: 1, updatedNumberScheduled: 2, numberAvailable: 1 } };
    expect(daemonSetPrinter.row(ds as never, NOW).cells.slice(0, 8)).toEqual(['agent', 2, 2, 1, 2, 1, 'disk=ssd,role=w', '60m']);
  });
  it('prints a StatefulSet as ready/replicas', () => {
    const sts = { metadata: { name: 'db', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { replicas: 3, template: { spec: { containers: [] } } }, status: { replicas: 3, readyReplicas: 2 } };
    expect(statefulSetPrinter.row(sts as never, NOW).cells.slice(0, 3)).toEqual(['db', '2/3', '60m']);
  });
});

describe('controllerrevision rows', () => {
  const revision = (ownerReferences: unknown[]) => ({ metadata: { name: 'agent-5d8c7f', creationTimestamp: '2026-01-01T00:00:00Z', ownerReferences }, data: {}, revision: 3 });
  it.each([
    ['a DaemonSet', [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u', controller: true }], 'daemonset.apps/agent'],
    ['a core-group owner', [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: 'u', controller: true }], 'pod/p'],
    ['no controller', [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'agent', uid: 'u' }], '<none>'],
  ])('names the controller of %s', (_name, owners, controller) => {
    expect(controllerRevisionPrinter.row(revision(owners) as never, NOW).cells).toEqual(['agent-5d8c7f', controller, 3, '60m']);
  });
});

describe('poddisruptionbudget rows', () => {
  it('prints N/A for the unset bound', () => {
    const pdb = { metadata: { name: 'db', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { minAvailable: 2 }, status: { disruptionsAllowed: 1 } };
    expect(podDisruptionBudgetPrinter.row(pdb as never, NOW).cells).toEqual(['db', '2', 'N/A', 1, '60m']);
  });
});
