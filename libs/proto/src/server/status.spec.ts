import { Status, statusError, statusOf, statusTrailers } from './status';

describe('statusOf', () => {
  it.each([
    { name: 'a status error', error: statusError(Status.NOT_FOUND, 'gone'), want: { code: Status.NOT_FOUND, details: 'gone' } },
    { name: 'a code without details: the message', error: Object.assign(new Error('boom'), { code: Status.UNAVAILABLE }), want: { code: Status.UNAVAILABLE, details: 'boom' } },
    { name: 'a plain error: UNKNOWN', error: new Error('boom'), want: { code: Status.UNKNOWN, details: 'boom' } },
    { name: 'a system error (string code): UNKNOWN', error: Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }), want: { code: Status.UNKNOWN, details: 'refused' } },
    { name: 'not an error', error: 'oops', want: { code: Status.UNKNOWN, details: 'Unknown Error' } },
  ])('$name', ({ error, want }) => {
    expect(statusOf(error)).toEqual(want);
  });
});

describe('statusTrailers', () => {
  it.each(['OK', 'client "x" is not allowed (allowed: a, b)', '100% ünïcode/é?#&=', 'lone \ud800 surrogate'])('%s survives the grpc-js client\'s decodeURI', (details) => {
    const trailers = statusTrailers({ code: Status.INTERNAL, details });
    expect(trailers['grpc-status']).toBe('13');
    expect(trailers['grpc-message']).toMatch(/^[\x21-\x7e]*$/);
    expect(decodeURI(trailers['grpc-message'])).toBe(details.replace('\ud800', '\ufffd'));
  });
});
