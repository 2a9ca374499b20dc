import { ApiError, isAlreadyExists, isConflict, isGone, isInvalid, isNotFound, statusFromResponse } from './api-error';

describe('statusFromResponse', () => {
  it.each([
    [
      'a Status body is kept as is',
      409,
      JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 409, reason: 'AlreadyExists', message: 'pods "a" already exists', details: { name: 'a' } }),
      undefined,
      { code: 409, reason: 'AlreadyExists', message: 'pods "a" already exists', details: { name: 'a' } },
    ],
    [
      'causes survive',
      422,
      JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 422, reason: 'Invalid', details: { causes: [{ field: 'spec.containers', reason: 'FieldValueRequired' }] } }),
      undefined,
      { code: 422, reason: 'Invalid', details: { causes: [{ field: 'spec.containers', reason: 'FieldValueRequired' }] } },
    ],
    ['a Status without a reason gets one from the code', 404, JSON.stringify({ kind: 'Status', code: 404 }), undefined, { code: 404, reason: 'NotFound' }],
    ['plain text from a proxy', 502, 'Bad Gateway\n', undefined, { code: 502, reason: 'InternalError', message: 'Bad Gateway' }],
    ['JSON that is not a Status', 403, '{"error":"nope"}', undefined, { code: 403, reason: 'Forbidden', message: '{"error":"nope"}' }],
    ['empty body', 410, '', undefined, { code: 410, reason: 'Expired', message: 'HTTP 410' }],
    ['Retry-After header lands in details', 429, '', '7', { code: 429, reason: 'TooManyRequests', details: { retryAfterSeconds: 7 } }],
  ])('%s', (_name, code, body, retryAfter, want) => {
    expect(statusFromResponse(code, body, retryAfter)).toMatchObject({ kind: 'Status', status: 'Failure', ...want });
  });
});

describe('ApiError predicates', () => {
  const error = (code: number, reason: string) => new ApiError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason });
  it.each([
    ['404', error(404, 'NotFound'), { notFound: true, exists: false, conflict: false, gone: false, invalid: false }],
    ['409 AlreadyExists', error(409, 'AlreadyExists'), { notFound: false, exists: true, conflict: false, gone: false, invalid: false }],
    ['409 Conflict', error(409, 'Conflict'), { notFound: false, exists: false, conflict: true, gone: false, invalid: false }],
    ['410 Expired', error(410, 'Expired'), { notFound: false, exists: false, conflict: false, gone: true, invalid: false }],
    ['422 Invalid', error(422, 'Invalid'), { notFound: false, exists: false, conflict: false, gone: false, invalid: true }],
    ['a plain Error', new Error('x'), { notFound: false, exists: false, conflict: false, gone: false, invalid: false }],
  ])('%s', (_name, err, want) => {
    expect({ notFound: isNotFound(err), exists: isAlreadyExists(err), conflict: isConflict(err), gone: isGone(err), invalid: isInvalid(err) }).toEqual(want);
  });

  it('names method and path in the message', () => {
    const err = new ApiError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code: 404, message: 'pods "x" not found' }, 'GET', '/api/v1/namespaces/d/pods/x');
    expect(err.message).toBe('GET /api/v1/namespaces/d/pods/x: pods "x" not found');
    expect(err).toBeInstanceOf(Error);
  });
});
