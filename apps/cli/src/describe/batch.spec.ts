// Golden pages for describe job / cronjob / daemonset / statefulset / poddisruptionbudget.
import { expectGolden } from '../testing/golden';
import { describeCronJob, describeDaemonSet, describeJob, describePodDisruptionBudget, describeStatefulSet, podsStatus } from './batch';

const NOW = new Date('2025-06-01T12:00:00Z');
const template = { metadata: { labels: { app: 'x' } }, spec: { restartPolicy: 'Never', containers: [{ name: 'main', image: 'busybox', command: ['sh', '-c', 'echo hi'] }] } };
const pod = (phase?: string) => ({ status: phase ? { phase } : {} });
const event = { type: 'Normal', reason: 'SuccessfulCreate', message: 'Created pod: tick-manual-abcde-xyz12', source: { component: 'job-controller' }, firstTimestamp: '2025-06-01T11:59:00Z', lastTimestamp: '2025-06-01T11:59:00Z' };

describe('describe (golden)', () => {
  it('a Job made from a CronJob, finished', () => {
    const job = {
      metadata: { name: 'tick-manual-abcde', namespace: 'default', labels: { 'batch.kubernetes.io/job-name': 'tick-manual-abcde' }, annotations: { 'cronjob.kubernetes.io/instantiate': 'manual' }, ownerReferences: [{ kind: 'CronJob', name: 'tick', controller: true, uid: 'u' }] },
      spec: { parallelism: 1, completions: 1, backoffLimit: 0, selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'j1' } }, template },
      status: { startTime: '2025-06-01T11:59:00Z', completionTime: '2025-06-01T11:59:07Z', succeeded: 1, ready: 0 },
    };
    expectGolden(__dirname, 'job', describeJob(job, [event], NOW));
  });

  it('an Indexed Job still running', () => {
    const job = { metadata: { name: 'idx', namespace: 'default' }, spec: { parallelism: 3, backoffLimit: 6, suspend: false, completions: 6, completionMode: 'Indexed', template }, status: { startTime: '2025-06-01T11:59:00Z', active: 3, ready: 2, succeeded: 2, completedIndexes: '0,2' } };
    expectGolden(__dirname, 'job-indexed', describeJob(job, undefined, NOW));
  });

  it('a suspended CronJob with its jobs', () => {
    const cj = {
      metadata: { name: 'tick', namespace: 'default' },
      spec: { schedule: '*/5 * * * *', timeZone: 'Europe/Paris', suspend: true, concurrencyPolicy: 'Forbid', jobTemplate: { spec: { template } } },
      status: { lastScheduleTime: '2025-06-01T11:55:00Z', active: [{ name: 'tick-29100000' }] },
    };
    expectGolden(__dirname, 'cronjob', describeCronJob(cj, [], NOW));
  });

  it('a DaemonSet with its pods by phase', () => {
    const ds = {
      metadata: { name: 'agent', namespace: 'kube-system', labels: { app: 'agent' }, annotations: { 'deprecated.daemonset.template.generation': '2' } },
      spec: { selector: { matchLabels: { app: 'agent' } }, template: { ...template, metadata: { labels: { app: 'agent' }, annotations: { 'kubectl.kubernetes.io/restartedAt': '2025-06-01T11:50:00Z' } }, spec: { ...template.spec, nodeSelector: { 'kubernetes.io/os': 'linux' } } } },
      status: { desiredNumberScheduled: 3, currentNumberScheduled: 3, updatedNumberScheduled: 2, numberAvailable: 2, numberMisscheduled: 0 },
    };
    expectGolden(__dirname, 'daemonset', describeDaemonSet(ds, [pod('Running'), pod('Running'), pod()], [], NOW));
  });

  it('a StatefulSet with a claim template', () => {
    const sts = {
      metadata: { name: 'db', namespace: 'default', creationTimestamp: '2025-06-01T11:00:00Z' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'db' } }, updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 1 } }, template, volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { storageClassName: 'local', accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }] },
      status: { replicas: 3 },
    };
    expectGolden(__dirname, 'statefulset', describeStatefulSet(sts, [pod('Running'), pod('Running'), pod('Failed')], undefined, NOW));
  });

  it('a PodDisruptionBudget', () => {
    const pdb = { metadata: { name: 'db', namespace: 'default' }, spec: { minAvailable: 2, selector: { matchLabels: { app: 'db' } } }, status: { disruptionsAllowed: 1, currentHealthy: 3, desiredHealthy: 2, expectedPods: 3 } };
    expectGolden(__dirname, 'pdb', describePodDisruptionBudget(pdb, [], NOW));
  });

  it('counts pods with no phase as waiting', () => {
    expect(podsStatus([pod('Running'), pod('Pending'), pod(), pod('Succeeded'), pod('Failed')])).toBe('1 Running / 2 Waiting / 1 Succeeded / 1 Failed');
  });
});
