import { matchesFields, parseFieldSelector } from './field-selector';

const pod = { metadata: { name: 'web-1', namespace: 'prod' }, spec: { nodeName: 'n1' }, status: { phase: 'Running' } };
const pending = { metadata: { name: 'web-2', namespace: 'prod' }, spec: {}, status: { phase: 'Pending' } };

describe('field selectors', () => {
  it.each<[string, object, boolean]>([
    ['', pod, true],
    ['metadata.name=web-1', pod, true],
    ['metadata.name==web-1', pod, true],
    ['metadata.name=web-2', pod, false],
    ['metadata.namespace=prod', pod, true],
    ['metadata.namespace!=prod', pod, false],
    ['spec.nodeName=n1', pod, true],
    ['spec.nodeName=', pod, false],
    ['spec.nodeName=', pending, true],
    ['spec.nodeName!=', pending, false],
    ['status.phase!=Running', pending, true],
    ['status.phase=Running,spec.nodeName=n1', pod, true],
    ['status.phase=Running,spec.nodeName=n2', pod, false],
  ])('%p on %j → %p', (selector, obj, expected) => {
    expect(matchesFields(obj, parseFieldSelector(selector, 'Pod'))).toBe(expected);
  });

  it('rejects fields the kind does not support, like Kubernetes', () => {
    expect(() => parseFieldSelector('spec.nodeName=n1', 'Deployment')).toThrow('field label not supported: spec.nodeName');
    expect(() => parseFieldSelector('metadata.labels=x', 'Pod')).toThrow('field label not supported');
  });

  it.each(['nodeName', 'spec.nodeName>1', '=x'])('rejects malformed %p', (selector) => {
    expect(() => parseFieldSelector(selector, 'Pod')).toThrow(/invalid field selector|not supported/);
  });

  it('unescapes values', () => {
    expect(parseFieldSelector('metadata.name=a\\,b', 'Pod')).toEqual([{ field: 'metadata.name', operator: 'Equals', value: 'a,b' }]);
  });

  it('compares an unset spec.unschedulable as false', () => {
    expect(matchesFields({ metadata: { name: 'n' }, spec: {} }, parseFieldSelector('spec.unschedulable=false', 'Node'))).toBe(true);
  });
});
