import { convertFieldSelector, FIELD_LABEL_CONVERSIONS, matchesFields, parseFieldSelector } from './field-selector';

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

  describe('events.k8s.io/v1 field labels (stored as core/v1 Events)', () => {
    const labels = FIELD_LABEL_CONVERSIONS['events.k8s.io/v1/Event'];
    const event = {
      metadata: { name: 'web.1', namespace: 'prod' },
      involvedObject: { kind: 'Pod', name: 'web', namespace: 'prod', uid: 'u-1', apiVersion: 'v1', resourceVersion: '7', fieldPath: 'spec.containers{app}' },
      reason: 'BackOff',
      type: 'Warning',
      reportingComponent: 'kubelet',
      source: {},
    };
    it.each<[string, string, boolean]>([
      ['regarding.kind=Pod', 'involvedObject.kind=Pod', true],
      ['regarding.name=web,regarding.namespace=prod', 'involvedObject.name=web,involvedObject.namespace=prod', true],
      ['regarding.uid!=u-1', 'involvedObject.uid!=u-1', false],
      ['regarding.apiVersion=v1,regarding.resourceVersion=7', 'involvedObject.apiVersion=v1,involvedObject.resourceVersion=7', true],
      ['regarding.fieldPath=spec.containers{app}', 'involvedObject.fieldPath=spec.containers{app}', true],
      ['reportingController=kubelet', 'reportingComponent=kubelet', true],
      ['reason=BackOff,type==Warning', 'reason=BackOff,type=Warning', true],
      ['source=kubelet', 'source=kubelet', true], // no source.component: the reporting controller
      ['metadata.name=web.1', 'metadata.name=web.1', true],
      ['regarding.name=a\\,b', 'involvedObject.name=a\\,b', false], // escapes survive the rewrite
    ])('%p → %p', (served, stored, matches) => {
      expect(convertFieldSelector(served, labels)).toBe(stored);
      expect(matchesFields(event, parseFieldSelector(convertFieldSelector(served, labels), 'Event'))).toBe(matches);
    });

    it.each(['involvedObject.name=web', 'reportingComponent=kubelet', 'note=x', 'spec.nodeName=n1'])('refuses %p like Kubernetes', (selector) => {
      expect(() => convertFieldSelector(selector, labels)).toThrow(`field label not supported: ${selector.split('=')[0]}`);
    });
  });

  it('core/v1 Events select by every involvedObject field, reportingComponent and source', () => {
    const event = { involvedObject: { fieldPath: 'spec.containers{app}' }, reportingComponent: 'coxswain-scheduler', source: { component: 'default-scheduler' } };
    expect(matchesFields(event, parseFieldSelector('involvedObject.fieldPath=spec.containers{app},reportingComponent=coxswain-scheduler', 'Event'))).toBe(true);
    expect(matchesFields(event, parseFieldSelector('source=default-scheduler', 'Event'))).toBe(true);
  });
});
