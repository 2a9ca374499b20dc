import { activeProbes, initialProbeState, ProbeSpec, ProbeState, probeDue, recordProbe } from './probe-state';

describe('probeDue', () => {
  const spec: ProbeSpec = { initialDelaySeconds: 5, periodSeconds: 2 };
  it.each([
    ['before the initial delay', undefined, 4_999, false],
    ['at the initial delay', undefined, 5_000, true],
    ['within the period since the last run', 6_000, 7_999, false],
    ['a period after the last run', 6_000, 8_000, true],
  ])('%s', (_n, lastRunAt, now, want) => {
    expect(probeDue(spec, { ...initialProbeState(), lastRunAt }, 0, now)).toBe(want);
  });
});

describe('recordProbe', () => {
  const run = (spec: ProbeSpec, outcomes: boolean[]): ProbeState =>
    outcomes.reduce((s, ok, i) => recordProbe(spec, s, ok, i), initialProbeState());
  it.each([
    ['one success meets the default threshold', {}, [true], 'success'],
    ['two failures are below the default threshold of 3', {}, [false, false], undefined],
    ['three failures fail', {}, [false, false, false], 'failure'],
    ['a success in between resets the failure count', {}, [false, false, true, false, false], 'success'],
    ['failureThreshold 1 fails at once', { failureThreshold: 1 }, [true, false], 'failure'],
    ['successThreshold 2 needs two in a row to recover', { successThreshold: 2, failureThreshold: 1 }, [false, true], 'failure'],
    ['successThreshold 2 reached', { successThreshold: 2, failureThreshold: 1 }, [false, true, true], 'success'],
  ] as Array<[string, ProbeSpec, boolean[], string | undefined]>)('%s', (_n, spec, outcomes, want) => {
    expect(run(spec, outcomes).result).toBe(want);
  });
});

describe('activeProbes', () => {
  const all = { liveness: {}, readiness: {}, startup: {} };
  it.each([
    ['startup pending gates the others', all, undefined, ['startup']],
    ['startup failing still gates', all, { ...initialProbeState(), result: 'failure' }, ['startup']],
    ['startup passed frees liveness and readiness', all, { ...initialProbeState(), result: 'success' }, ['liveness', 'readiness']],
    ['no startup probe', { readiness: {} }, undefined, ['readiness']],
  ] as Array<[string, Record<string, ProbeSpec>, ProbeState | undefined, string[]]>)('%s', (_n, specs, startup, want) => {
    expect(activeProbes(specs, startup)).toEqual(want);
  });
});
