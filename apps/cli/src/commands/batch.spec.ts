import { jobFromCronJob, jobFromImage } from './batch';

describe('create job generators', () => {
  it('--from=cronjob copies the job template and marks the Job as a manual instantiation owned by the CronJob', () => {
    const cronJob = { metadata: { name: 'backup', uid: 'cj-1' }, spec: { jobTemplate: { metadata: { labels: { app: 'backup' }, annotations: { team: 'ops' } }, spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } } } } };
    expect(jobFromCronJob('now', cronJob)).toEqual({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'now', annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', team: 'ops' }, labels: { app: 'backup' }, ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'backup', uid: 'cj-1', controller: true }] },
      spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'c', image: 'busybox' }] } } },
    });
  });
  it('--image builds a Never-restarting Job', () => {
    expect(jobFromImage('pi', 'busybox', ['sh', '-c', 'true']).spec.template.spec).toEqual({ containers: [{ name: 'pi', image: 'busybox', command: ['sh', '-c', 'true'], resources: {} }], restartPolicy: 'Never' });
  });
});
