import { resourceForKind } from '@coxswain/api';
import { collectionPrefix, decodeContinue, encodeContinue, objectKey, prefixEnd } from './keys';

const pods = resourceForKind('Pod')!;
const nodes = resourceForKind('Node')!;
const deployments = resourceForKind('Deployment')!;

describe('etcd keys', () => {
  it.each([
    [objectKey(pods, 'default', 'web'), '/registry/core/pods/default/web'],
    [objectKey(nodes, undefined, 'n1'), '/registry/core/nodes/n1'],
    [objectKey(nodes, 'ignored', 'n1'), '/registry/core/nodes/n1'],
    [objectKey(deployments, 'x', 'd'), '/registry/apps/deployments/x/d'],
    [collectionPrefix(pods), '/registry/core/pods/'],
    [collectionPrefix(pods, 'default'), '/registry/core/pods/default/'],
    [collectionPrefix(nodes, 'default'), '/registry/core/nodes/'],
  ])('%s', (actual, expected) => expect(actual).toBe(expected));

  it('refuses a namespaced key without a namespace', () => {
    expect(() => objectKey(pods, undefined, 'x')).toThrow(/namespace is required/);
  });

  it('round-trips continue tokens and rejects foreign or broken ones', () => {
    const token = encodeContinue({ rev: 42, start: '/registry/core/pods/default/b' });
    expect(decodeContinue(token, '/registry/core/pods/')).toEqual({ rev: 42, start: '/registry/core/pods/default/b' });
    expect(() => decodeContinue(token, '/registry/core/nodes/')).toThrow(/continue key is not valid/);
    expect(() => decodeContinue('garbage', '/registry/')).toThrow(/continue key is not valid/);
  });

  it('computes prefix ends', () => {
    expect(prefixEnd('/registry/core/pods/').toString()).toBe('/registry/core/pods0');
    expect(prefixEnd('a').toString()).toBe('b');
    // The last byte of 'é' (0xc3 0xa9) goes up by one: bytes, not a re-encoded string.
    expect([...prefixEnd('/x/é')]).toEqual([...Buffer.from('/x/'), 0xc3, 0xaa]);
    expect([...prefixEnd('\u00ff')]).toEqual([0xc3, 0xc0]);
  });
});
