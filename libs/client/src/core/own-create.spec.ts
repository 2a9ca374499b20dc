import { isOwnCreate } from './own-create';
import { KubeObject } from './types';

const sent: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'd', labels: { app: 'x' } }, data: { i: '1' } } as KubeObject;
const stored = (over: Record<string, unknown> = {}, metadata: Record<string, unknown> = {}): KubeObject =>
  ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a', namespace: 'd', labels: { app: 'x' }, uid: 'u1', resourceVersion: '7', creationTimestamp: '2026-01-01T00:00:00Z', ...metadata }, data: { i: '1' }, ...over }) as KubeObject;

describe('isOwnCreate', () => {
  it.each([
    ['the same object plus server metadata', sent, stored(), true],
    ['defaults added by the server', sent, stored({ immutable: false }, { annotations: { a: 'b' } }), true],
    ['another value', sent, stored({ data: { i: '2' } }), false],
    ['a label missing', sent, stored({}, { labels: {} }), false],
    ['a label changed', sent, stored({}, { labels: { app: 'y' } }), false],
    ['an extra array element', { ...sent, spec: { items: [1] } } as KubeObject, stored({ spec: { items: [1, 2] } }), false],
    ['array elements that gained defaults', { ...sent, spec: { c: [{ name: 'a' }] } } as KubeObject, stored({ spec: { c: [{ name: 'a', imagePullPolicy: 'Always' }] } }), true],
    ['a sent uid or resourceVersion is not compared', { ...sent, metadata: { ...sent.metadata, resourceVersion: '1', uid: 'other' } } as KubeObject, stored(), true],
    ['status is not compared', { ...sent, status: { phase: 'Pending' } } as KubeObject, stored({ status: { phase: 'Running' } }), true],
    ['an object where a scalar was sent', { ...sent, data: 'x' } as unknown as KubeObject, stored(), false],
  ])('%s → %s', (_name, mine, theirs, want) => {
    expect(isOwnCreate(mine, theirs)).toBe(want);
  });
});
