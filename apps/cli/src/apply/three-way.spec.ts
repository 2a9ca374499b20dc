import { LAST_APPLIED, lastApplied, threeWayPatch, withLastApplied } from './three-way';

const container = (name: string, extra: Record<string, unknown> = {}) => ({ name, image: `${name}:1`, ...extra });

describe('threeWayPatch', () => {
  it.each([
    {
      name: 'unchanged file against a live object with server defaults and status',
      original: { spec: { replicas: 2, template: { spec: { containers: [container('app')] } } } },
      modified: { spec: { replicas: 2, template: { spec: { containers: [container('app')] } } } },
      current: { metadata: { uid: 'u', resourceVersion: '7' }, spec: { replicas: 2, strategy: { type: 'RollingUpdate' }, template: { spec: { containers: [container('app', { imagePullPolicy: 'IfNotPresent' })], restartPolicy: 'Always' } } }, status: { replicas: 2 } },
      strategic: true,
      want: {},
    },
    {
      name: 'a changed scalar',
      original: { spec: { replicas: 2 } },
      modified: { spec: { replicas: 3 } },
      current: { spec: { replicas: 2 } },
      strategic: true,
      want: { spec: { replicas: 3 } },
    },
    {
      name: 'a field removed from the file is deleted; one another client added is kept',
      original: { metadata: { labels: { app: 'web', old: 'x' } } },
      modified: { metadata: { labels: { app: 'web' } } },
      current: { metadata: { labels: { app: 'web', old: 'x', added: 'by-someone' } } },
      strategic: true,
      want: { metadata: { labels: { old: null } } },
    },
    {
      name: 'containers merge by name: image change, removal, addition',
      original: { spec: { containers: [container('a'), container('b')] } },
      modified: { spec: { containers: [container('a', { image: 'a:2' }), container('c')] } },
      current: { spec: { containers: [container('a', { imagePullPolicy: 'IfNotPresent' }), container('b')] } },
      strategic: true,
      want: { spec: { containers: [{ name: 'b', $patch: 'delete' }, { name: 'a', image: 'a:2' }, container('c')] } },
    },
    {
      name: 'container ports merge by containerPort',
      original: { spec: { containers: [container('a', { ports: [{ containerPort: 80 }] })] } },
      modified: { spec: { containers: [container('a', { ports: [{ containerPort: 80, name: 'http' }] })] } },
      current: { spec: { containers: [container('a', { ports: [{ containerPort: 80, protocol: 'TCP' }] })] } },
      strategic: true,
      want: { spec: { containers: [{ name: 'a', ports: [{ containerPort: 80, name: 'http' }] }] } },
    },
    {
      name: 'lists without a merge key are replaced when they differ',
      original: { spec: { containers: [container('a', { args: ['x'] })] } },
      modified: { spec: { containers: [container('a', { args: ['y'] })] } },
      current: { spec: { containers: [container('a', { args: ['x'] })] } },
      strategic: true,
      want: { spec: { containers: [{ name: 'a', args: ['y'] }] } },
    },
    {
      name: 'JSON merge (unknown kinds): lists are replaced as a whole',
      original: { spec: { items: [{ name: 'a' }] } },
      modified: { spec: { items: [{ name: 'a' }, { name: 'b' }] } },
      current: { spec: { items: [{ name: 'a' }] } },
      strategic: false,
      want: { spec: { items: [{ name: 'a' }, { name: 'b' }] } },
    },
    {
      name: 'no last-applied: only additions and changes',
      original: undefined,
      modified: { spec: { replicas: 1 } },
      current: { spec: { replicas: 1, paused: true } },
      strategic: true,
      want: {},
    },
  ])('$name', ({ original, modified, current, strategic, want }) => {
    expect(threeWayPatch(original, modified, current, strategic)).toEqual(want);
  });
});

describe('last-applied annotation', () => {
  it('is the object without itself, keys sorted, compact JSON and a newline (as kubectl writes it)', () => {
    const obj = { kind: 'Deployment', apiVersion: 'apps/v1', metadata: { name: 'web', namespace: 'default', labels: { app: 'web' } }, spec: { replicas: 2 } };
    const annotated = withLastApplied(obj);
    expect(annotated.metadata.annotations[LAST_APPLIED]).toBe('{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"annotations":{},"labels":{"app":"web"},"name":"web","namespace":"default"},"spec":{"replicas":2}}\n');
    expect(lastApplied(annotated)).toEqual({ ...obj, metadata: { ...obj.metadata, annotations: {} } });
    expect(withLastApplied(annotated)).toEqual(annotated);
  });

  it('keeps other annotations and ignores an unreadable old one', () => {
    const obj = { metadata: { annotations: { team: 'a', [LAST_APPLIED]: 'not json' } } };
    expect(lastApplied(obj)).toBeUndefined();
    expect(withLastApplied(obj).metadata.annotations).toEqual({ team: 'a', [LAST_APPLIED]: '{"metadata":{"annotations":{"team":"a"}}}\n' });
  });
});
