import { Deployment, ReplicaSet } from '@coxswain/api';
import {
  equalIgnoreHash,
  findNewReplicaSet,
  maxSurge,
  maxUnavailable,
  newReplicaSetFor,
  POD_TEMPLATE_HASH,
  resolveFenceposts,
  REVISION,
  REVISION_HISTORY,
  scaledValue,
  setNewReplicaSetAnnotations,
  templateHash,
} from './util';

const deployment = (over: Partial<Deployment['spec']> = {}, annotations?: Record<string, string>): Deployment =>
  ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'ns', uid: 'd-uid', annotations },
    spec: {
      replicas: 10,
      selector: { matchLabels: { app: 'web' } },
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
      ...over,
    },
  }) as Deployment;

describe('scaledValue', () => {
  it.each([
    { value: 3, total: 10, up: true, want: 3 },
    { value: '25%', total: 10, up: true, want: 3 },
    { value: '25%', total: 10, up: false, want: 2 },
    { value: '0%', total: 10, up: true, want: 0 },
    { value: '100%', total: 3, up: false, want: 3 },
    { value: '2', total: 10, up: false, want: 2 },
    { value: undefined, total: 4, up: false, want: 1 },
  ])('$value of $total (roundUp $up) = $want', ({ value, total, up, want }) => expect(scaledValue(value, total, up, '25%')).toBe(want));
});

describe('fenceposts', () => {
  it.each([
    { name: 'defaults on 10', ru: { maxSurge: '25%', maxUnavailable: '25%' }, replicas: 10, want: { maxSurge: 3, maxUnavailable: 2 } },
    { name: 'both zero: unavailable 1', ru: { maxSurge: 0, maxUnavailable: 0 }, replicas: 4, want: { maxSurge: 0, maxUnavailable: 1 } },
    { name: 'percent rounding to zero surge', ru: { maxSurge: '10%', maxUnavailable: '10%' }, replicas: 1, want: { maxSurge: 1, maxUnavailable: 0 } },
  ])('$name', ({ ru, replicas, want }) => expect(resolveFenceposts(deployment({ replicas, strategy: { type: 'RollingUpdate', rollingUpdate: ru } }))).toEqual(want));

  it('Recreate has no surge and no unavailability budget', () => {
    const d = deployment({ strategy: { type: 'Recreate' } });
    expect([maxSurge(d), maxUnavailable(d)]).toEqual([0, 0]);
  });
  it('maxUnavailable never exceeds replicas', () => {
    expect(maxUnavailable(deployment({ replicas: 2, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 5 } } }))).toBe(2);
  });
});

describe('templates and hashes', () => {
  it('hash is stable, changes with the template and with the collision count', () => {
    const d = deployment();
    const h = templateHash(d.spec.template);
    expect(h).toMatch(/^[bcdfghjklmnpqrstvwxz2456789]+$/);
    expect(templateHash(structuredClone(d.spec.template))).toBe(h);
    expect(templateHash(deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'busybox:2' }] } } }).spec.template)).not.toBe(h);
    expect(templateHash(d.spec.template, 1)).not.toBe(h);
  });

  it('equalIgnoreHash ignores only the pod-template-hash label', () => {
    const d = deployment();
    const rs = newReplicaSetFor(d, '2025-01-01T00:00:00Z');
    expect(rs.spec.template!.metadata!.labels![POD_TEMPLATE_HASH]).toBeDefined();
    expect(equalIgnoreHash(rs.spec.template, d.spec.template)).toBe(true);
    const other = structuredClone(rs.spec.template!);
    other.metadata!.labels!.tier = 'x';
    expect(equalIgnoreHash(other, d.spec.template)).toBe(false);
    // What kubectl rollout undo writes back: Go zero values next to the same template.
    const fromKubectl = structuredClone(d.spec.template) as unknown as { metadata: Record<string, unknown>; spec: { containers: Array<Record<string, unknown>> } };
    fromKubectl.metadata.creationTimestamp = null;
    fromKubectl.spec.containers[0].resources = {};
    expect(equalIgnoreHash(fromKubectl as never, d.spec.template)).toBe(true);
  });

  it('newReplicaSetFor names, labels and selects by the hash', () => {
    const d = deployment();
    const rs = newReplicaSetFor(d, '2025-01-01T00:00:00Z');
    const hash = templateHash(d.spec.template);
    expect(rs.metadata.name).toBe(`web-${hash}`);
    expect(rs.metadata.labels).toEqual({ app: 'web', [POD_TEMPLATE_HASH]: hash });
    expect(rs.spec.selector.matchLabels).toEqual({ app: 'web', [POD_TEMPLATE_HASH]: hash });
    expect(rs.metadata.ownerReferences![0]).toMatchObject({ kind: 'Deployment', uid: 'd-uid', controller: true });
  });

  it('findNewReplicaSet picks the oldest with the current template', () => {
    const d = deployment();
    const a = newReplicaSetFor(d, '2025-01-01T00:00:05Z');
    a.metadata.name = 'a';
    const b = newReplicaSetFor(d, '2025-01-01T00:00:01Z');
    b.metadata.name = 'b';
    const old = newReplicaSetFor(deployment({ template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'old' }] } } }), '2025-01-01T00:00:00Z');
    expect(findNewReplicaSet(d, [a, old, b])?.metadata.name).toBe('b');
    expect(findNewReplicaSet(d, [old])).toBeUndefined();
  });
});

describe('setNewReplicaSetAnnotations', () => {
  const rsWith = (annotations?: Record<string, string>) => ({ metadata: { name: 'rs', annotations }, spec: {} }) as unknown as ReplicaSet;
  it.each([
    {
      name: 'new ReplicaSet gets revision, replicas annotations and copied annotations',
      d: deployment({}, { 'kubernetes.io/change-cause': 'v2', 'kubectl.kubernetes.io/last-applied-configuration': '{}', [REVISION]: '1' }),
      rs: rsWith(),
      revision: 2,
      exists: false,
      want: { 'kubernetes.io/change-cause': 'v2', [REVISION]: '2', 'deployment.kubernetes.io/desired-replicas': '10', 'deployment.kubernetes.io/max-replicas': '13' },
      changed: true,
    },
    {
      name: 'rollback to an old ReplicaSet records its old revision in history',
      d: deployment(),
      rs: rsWith({ [REVISION]: '1' }),
      revision: 4,
      exists: true,
      want: { [REVISION]: '4', [REVISION_HISTORY]: '1' },
      changed: true,
    },
    {
      name: 'history grows',
      d: deployment(),
      rs: rsWith({ [REVISION]: '4', [REVISION_HISTORY]: '1' }),
      revision: 6,
      exists: true,
      want: { [REVISION]: '6', [REVISION_HISTORY]: '1,4' },
      changed: true,
    },
    { name: 'a higher revision is kept', d: deployment(), rs: rsWith({ [REVISION]: '7' }), revision: 3, exists: true, want: { [REVISION]: '7' }, changed: false },
  ])('$name', ({ d, rs, revision, exists, want, changed }) => {
    expect(setNewReplicaSetAnnotations(d, rs, revision, exists)).toBe(changed);
    expect(rs.metadata.annotations).toEqual(want);
  });
});
