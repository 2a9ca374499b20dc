import { classifyConnectionError, isIdempotent, parseServers, retriableFailure, roundBackoffMs, ServerRing } from './failover';
import { BODY_TIMEOUT, CONNECT_TIMEOUT, HEADERS_TIMEOUT, POOL_CLOSED } from './http-pool';

const coded = (code: string) => Object.assign(new Error(code), { code });

describe('parseServers', () => {
  it.each([
    ['one server', 'https://a:6443', ['https://a:6443']],
    ['a comma-separated list, spaces trimmed', 'https://a:6443, https://b:6443,', ['https://a:6443', 'https://b:6443']],
    ['a path prefix is kept', 'http://a/k8s', ['http://a/k8s']],
  ])('%s', (_name, input, want) => {
    expect(parseServers(input)).toEqual(want);
  });

  it.each([[''], [' , '], ['not a url']])('refuses %j', (input) => {
    expect(() => parseServers(input)).toThrow();
  });
});

describe('classifyConnectionError', () => {
  it.each([
    ['refused', coded('ECONNREFUSED'), 'not-sent'],
    ['connect timeout', coded(CONNECT_TIMEOUT), 'not-sent'],
    ['refused as the cause of a fetch TypeError', Object.assign(new TypeError('fetch failed'), { cause: coded('ECONNREFUSED') }), 'not-sent'],
    ['an AggregateError of refused addresses', Object.assign(new AggregateError([coded('ECONNREFUSED'), coded('ECONNREFUSED')]), {}), 'not-sent'],
    ['reset', coded('ECONNRESET'), 'maybe-sent'],
    ['other side closed (socket hang up)', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }), 'maybe-sent'],
    ['written to a closed socket', coded('EPIPE'), 'maybe-sent'],
    ['no response headers in time', coded(HEADERS_TIMEOUT), 'other'],
    ['the body stalled', coded(BODY_TIMEOUT), 'other'],
    ['the transport was closed', coded(POOL_CLOSED), 'other'],
    ['aborted by the caller', Object.assign(new Error('aborted'), { name: 'AbortError', code: 'ECONNRESET' }), 'other'],
    ["node:http's AbortError with the reason as cause", Object.assign(new Error('The operation was aborted'), { name: 'AbortError', code: 'ABORT_ERR', cause: coded('ECONNRESET') }), 'other'],
    ['a plain error', new Error('boom'), 'other'],
    ['not an error', 'x', 'other'],
  ])('%s', (_name, error, want) => {
    expect(classifyConnectionError(error)).toBe(want);
  });
});

describe('retriableFailure', () => {
  it.each([
    ['POST', 'not-sent', true],
    ['POST', 'maybe-sent', false],
    ['PATCH', 'maybe-sent', false],
    ['GET', 'maybe-sent', true],
    ['PUT', 'maybe-sent', true],
    ['DELETE', 'maybe-sent', true],
    ['GET', 'other', false],
  ] as const)('%s after %s → %s', (method, failure, want) => {
    expect(retriableFailure(method, failure)).toBe(want);
    if (failure === 'maybe-sent') expect(isIdempotent(method)).toBe(want);
  });
});

describe('roundBackoffMs', () => {
  it.each([
    [1, 200],
    [2, 400],
    [3, 800],
    [5, 2000],
    [10, 2000],
  ])('round %d waits %d ms', (round, want) => {
    expect(roundBackoffMs(round)).toBe(want);
  });
});

describe('ServerRing', () => {
  it('sticks to a server until it fails, then moves on and wraps around', () => {
    const ring = new ServerRing('http://a,http://b,http://c');
    expect(ring.current).toBe('http://a');
    ring.markFailed('http://a');
    expect(ring.current).toBe('http://b');
    // A second caller that also saw http://a fail does not skip http://b.
    ring.markFailed('http://a');
    expect(ring.current).toBe('http://b');
    ring.markFailed('http://b');
    ring.markFailed('http://c');
    expect(ring.current).toBe('http://a');
  });
});
