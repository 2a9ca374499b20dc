import * as actions from './actions';
import { kindByPlural } from './kinds';

const deployments = kindByPlural('deployments')!;
const rs = (name: string, revision: string, image: string, owner = 'dep-uid') => ({
  metadata: { name, namespace: 'default', uid: `${name}-uid`, annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ kind: 'Deployment', name: 'web', uid: owner, controller: true }] },
  spec: { template: { metadata: { labels: { app: 'web', 'pod-template-hash': `h${revision}` } }, spec: { containers: [{ name: 'c', image }] } } },
});
const deployment = { metadata: { name: 'web', namespace: 'default', uid: 'dep-uid', annotations: { 'deployment.kubernetes.io/revision': '3' } } };
const history = [rs('web-1', '1', 'busybox:1'), rs('web-2', '2', 'busybox:2'), rs('web-3', '3', 'busybox:3'), rs('other-9', '9', 'x', 'someone-else')];

describe('request builders', () => {
  it.each([
    { name: 'scale', got: actions.scale(deployments, 'default', 'web', 3), want: { method: 'PATCH', path: '/apis/apps/v1/namespaces/default/deployments/web/scale', body: { spec: { replicas: 3 } }, contentType: 'application/merge-patch+json' } },
    { name: 'restart', got: actions.restartRollout('default', 'web', new Date('2026-01-01T00:00:00Z')), want: { method: 'PATCH', path: '/apis/apps/v1/namespaces/default/deployments/web', body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } }, summary: 'deployment.apps/web restarted' } },
    { name: 'restart a DaemonSet', got: actions.restartRollout('ns', 'agent', new Date('2026-01-01T00:00:00Z'), 'daemonsets'), want: { method: 'PATCH', path: '/apis/apps/v1/namespaces/ns/daemonsets/agent', contentType: 'application/merge-patch+json', body: { spec: { template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': '2026-01-01T00:00:00Z' } } } } }, summary: 'daemonset.apps/agent restarted' } },
    { name: 'restart a StatefulSet', got: actions.restartRollout('ns', 'db', new Date('2026-01-01T00:00:00Z'), 'statefulsets'), want: { method: 'PATCH', path: '/apis/apps/v1/namespaces/ns/statefulsets/db', summary: 'statefulset.apps/db restarted' } },
    { name: 'suspend a CronJob', got: actions.suspendCronJob('ns', 'nightly', true), want: { method: 'PATCH', path: '/apis/batch/v1/namespaces/ns/cronjobs/nightly', body: { spec: { suspend: true } }, contentType: 'application/merge-patch+json', summary: 'cronjob.batch/nightly suspended' } },
    { name: 'resume a CronJob', got: actions.suspendCronJob('ns', 'nightly', false), want: { body: { spec: { suspend: false } }, summary: 'cronjob.batch/nightly resumed' } },
    { name: 'vm start', got: actions.vmAction('ns', 'tiny', 'start'), want: { method: 'PUT', path: '/apis/kubevirt.io/v1/namespaces/ns/virtualmachines/tiny/start' } },
    { name: 'vm stop', got: actions.vmAction('ns', 'tiny', 'stop'), want: { method: 'PUT', path: '/apis/kubevirt.io/v1/namespaces/ns/virtualmachines/tiny/stop' } },
    { name: 'cordon', got: actions.cordon('node-1', true), want: { method: 'PATCH', path: '/api/v1/nodes/node-1', body: { spec: { unschedulable: true } }, contentType: 'application/merge-patch+json' } },
    { name: 'uncordon removes the field', got: actions.cordon('node-1', false), want: { body: { spec: { unschedulable: null } } } },
    { name: 'evict', got: actions.evict({ metadata: { name: 'p', namespace: 'ns' } }), want: { method: 'POST', path: '/api/v1/namespaces/ns/pods/p/eviction', body: { apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: 'p', namespace: 'ns' } } } },
    { name: 'delete cluster-scoped', got: actions.remove(kindByPlural('nodes')!, undefined, 'node-1'), want: { method: 'DELETE', path: '/api/v1/nodes/node-1', summary: 'node/node-1 deleted' } },
  ])('$name', ({ got, want }) => expect(got).toMatchObject(want));

  it('triggers a Job from a CronJob as kubectl create job --from=cronjob/x does', () => {
    const cronJob = {
      metadata: { name: 'nightly', namespace: 'ns', uid: 'cj-uid' },
      spec: { schedule: '@daily', jobTemplate: { metadata: { labels: { team: 'a' }, annotations: { note: 'x' } }, spec: { backoffLimit: 2, template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } } } } },
    };
    const r = actions.triggerCronJob(cronJob, 'k2x9q');
    expect(r).toEqual({
      method: 'POST',
      path: '/apis/batch/v1/namespaces/ns/jobs',
      contentType: 'application/json',
      summary: 'job.batch/nightly-manual-k2x9q created',
      body: {
        apiVersion: 'batch/v1',
        kind: 'Job',
        metadata: {
          name: 'nightly-manual-k2x9q',
          namespace: 'ns',
          labels: { team: 'a' },
          annotations: { 'cronjob.kubernetes.io/instantiate': 'manual', note: 'x' },
          ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name: 'nightly', uid: 'cj-uid', controller: true }],
        },
        spec: cronJob.spec.jobTemplate.spec,
      },
    });
    // The template is copied, not shared.
    expect((r.body as { spec: unknown }).spec).not.toBe(cronJob.spec.jobTemplate.spec);
  });

  it('keeps a triggered Job name within 63 characters', () => {
    const long = { metadata: { name: 'c'.repeat(52), namespace: 'ns', uid: 'u' }, spec: { jobTemplate: { spec: {} } } };
    const name = (actions.triggerCronJob(long, 'abcde').body as { metadata: { name: string } }).metadata.name;
    expect(name).toBe(`${'c'.repeat(50)}-manual-abcde`);
    expect(name).toHaveLength(63);
  });

  it('makes name suffixes of five lowercase letters or digits', () => {
    expect(actions.nameSuffix(() => 0)).toBe('bbbbb');
    expect(actions.nameSuffix(() => 0.999)).toBe('99999');
    expect(actions.nameSuffix()).toMatch(/^[a-z0-9]{5}$/);
  });

  it.each([-1, 1.5, NaN])('scale refuses %p replicas', (n) => expect(() => actions.scale(deployments, 'd', 'w', n)).toThrow());
});

describe('rollback', () => {
  it('picks the newest revision that is not the current one, minus the pod-template-hash', () => {
    const r = actions.rollback(deployment, history);
    expect(r.contentType).toBe('application/json-patch+json');
    expect(r.body).toEqual([{ op: 'replace', path: '/spec/template', value: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:2' }] } } }]);
    expect(r.summary).toBe('deployment.apps/web rolled back to revision 2');
  });
  it('rolls back to a chosen revision', () => expect((actions.rollback(deployment, history, 1).body as Array<{ value: { spec: { containers: Array<{ image: string }> } } }>)[0].value.spec.containers[0].image).toBe('busybox:1'));
  it('ignores ReplicaSets owned by others and fails without history', () => {
    expect(() => actions.rollback(deployment, history, 9)).toThrow('revision 9 not found');
    expect(() => actions.rollback(deployment, [rs('web-3', '3', 'x')])).toThrow('no previous revision');
  });
  it('lists revisions newest first', () => expect(actions.revisions(deployment, history).map((h) => h.revision)).toEqual([3, 2, 1]));
});

describe('drainPlan', () => {
  const pod = (name: string, extra: Record<string, unknown> = {}) => ({ metadata: { name, namespace: 'd' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' }, ...extra });
  it('evicts what controllers recreate and keeps mirror and DaemonSet pods', () => {
    const plan = actions.drainPlan('n1', [
      pod('a'),
      pod('b', { spec: { nodeName: 'n2' } }),
      pod('done', { status: { phase: 'Succeeded' } }),
      pod('going', { metadata: { name: 'going', namespace: 'd', deletionTimestamp: 'x' } }),
      pod('mirror', { metadata: { name: 'mirror', namespace: 'd', annotations: { 'kubernetes.io/config.mirror': 'x' } } }),
      pod('ds', { metadata: { name: 'ds', namespace: 'd', ownerReferences: [{ kind: 'DaemonSet', name: 'x', uid: 'u', controller: true }] } }),
    ]);
    expect(plan.evict.map((p) => p.metadata.name)).toEqual(['a']);
    expect(plan.skipped.map((s) => [s.pod.metadata.name, s.why])).toEqual([['mirror', 'mirror pod'], ['ds', 'DaemonSet-managed']]);
  });
});

describe('apply', () => {
  it.each([
    { name: 'namespaced object gets the default namespace', obj: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' } }, dry: true, path: '/apis/apps/v1/namespaces/team/deployments/web?fieldManager=coxswain-dashboard&fieldValidation=Strict&force=true&dryRun=All', ns: 'team', summary: 'deployment.apps/web' },
    { name: 'explicit namespace wins', obj: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', namespace: 'own' } }, dry: false, path: '/api/v1/namespaces/own/pods/p?fieldManager=coxswain-dashboard&fieldValidation=Strict&force=true', ns: 'own', summary: 'pod/p' },
    { name: 'cluster-scoped has none', obj: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } }, dry: false, path: '/api/v1/namespaces/team?fieldManager=coxswain-dashboard&fieldValidation=Strict&force=true', ns: undefined, summary: 'namespace/team' },
    { name: 'kubevirt', obj: { apiVersion: 'kubevirt.io/v1', kind: 'VirtualMachine', metadata: { name: 'tiny' } }, dry: true, path: '/apis/kubevirt.io/v1/namespaces/team/virtualmachines/tiny?fieldManager=coxswain-dashboard&fieldValidation=Strict&force=true&dryRun=All', ns: 'team', summary: 'virtualmachine.kubevirt.io/tiny' },
  ])('$name', ({ obj, dry, path, ns, summary }) => {
    const r = actions.apply(obj, 'team', dry);
    expect(r).toMatchObject({ method: 'PATCH', path, contentType: 'application/apply-patch+yaml', summary });
    expect((r.body as { metadata: { namespace?: string } }).metadata.namespace).toBe(ns);
  });
  it.each([
    [{ apiVersion: 'v1', kind: 'Widget', metadata: { name: 'w' } }, 'unknown kind v1/Widget'],
    [{ apiVersion: 'apps/v2', kind: 'Pod', metadata: { name: 'w' } }, 'unknown kind apps/v2/Pod'],
    [{ apiVersion: 'v1', kind: 'Pod', metadata: {} }, 'Pod has no metadata.name'],
  ])('refuses %#', (obj, message) => expect(() => actions.apply(obj, 'd', true)).toThrow(message));
});
