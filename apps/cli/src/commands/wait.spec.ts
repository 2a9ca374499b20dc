import { conditionMet, parseWaitFor } from './wait';

const pod = { metadata: { generation: 2 }, status: { phase: 'Running', readyReplicas: 3, conditions: [{ type: 'Ready', status: 'True' }, { type: 'Stale', status: 'True', observedGeneration: 1 }] } };

describe('wait --for', () => {
  it.each([
    ['condition=Ready', true],
    ['condition=ready=true', true],
    ['condition=Ready=False', false],
    ['condition=Missing', false],
    ['condition=Stale', false],
    ['jsonpath={.status.phase}=Running', true],
    ['jsonpath={.status.readyReplicas}=3', true],
    ['jsonpath={.status.phase}=Pending', false],
    ['jsonpath={.status.phase}', true],
    ['jsonpath={.status.nope}', false],
    ['create', true],
    ['delete', false],
  ])('%s on a running pod → %s', (spec, want) => {
    expect(conditionMet(pod, parseWaitFor(spec))).toBe(want);
  });

  it.each([
    ['condition=', /needs a condition name/],
    ['jsonpath={.a', /unbalanced braces/],
    ['jsonpath={.a}Running', /jsonpath wait format/],
    ['ready', /unrecognized condition: "ready"/],
  ])('rejects %s', (spec, message) => {
    expect(() => parseWaitFor(spec)).toThrow(message);
  });
});
