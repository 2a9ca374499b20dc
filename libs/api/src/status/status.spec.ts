import { alreadyExists, badRequest, expired, forbidden, invalid, notFound, staleConflict, StatusError, toStatus } from './status';

describe('Status builders', () => {
  it.each<[string, StatusError, number, string, string]>([
    ['bad request', badRequest('bad'), 400, 'BadRequest', 'bad'],
    ['not found', notFound({ resource: 'pods', name: 'web' }), 404, 'NotFound', 'pods "web" not found'],
    ['already exists', alreadyExists({ resource: 'deployments.apps', name: 'web', group: 'apps' }), 409, 'AlreadyExists', 'deployments.apps "web" already exists'],
    ['conflict', staleConflict({ resource: 'pods', name: 'web' }), 409, 'Conflict', 'Operation cannot be fulfilled on pods "web": the object has been modified; please apply your changes to the latest version and try again'],
    ['gone', expired(5), 410, 'Expired', 'too old resource version: 5'],
    ['forbidden', forbidden('viewer', 'create', { resource: 'pods' }, 'default'), 403, 'Forbidden', 'pods is forbidden: User "viewer" cannot create resource "pods" in API group "" in the namespace "default"'],
  ])('%s', (_name, error, code, reason, message) => {
    expect(error.status).toMatchObject({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });
    expect(error).toBeInstanceOf(Error);
  });

  it('builds 422 Invalid with causes and a kubectl-style message', () => {
    const error = invalid({ kind: 'Pod', name: 'web', resource: 'pods' }, [
      { field: 'spec.containers[0].image', reason: 'FieldValueRequired', message: 'Required value' },
      { field: 'metadata.name', reason: 'FieldValueInvalid', message: 'Invalid value: "X": bad' },
    ]);
    expect(error.code).toBe(422);
    expect(error.status.details).toEqual({
      name: 'web',
      kind: 'Pod',
      causes: [
        { field: 'spec.containers[0].image', reason: 'FieldValueRequired', message: 'Required value' },
        { field: 'metadata.name', reason: 'FieldValueInvalid', message: 'Invalid value: "X": bad' },
      ],
    });
    expect(error.message).toBe('Pod "web" is invalid: [spec.containers[0].image: Required value, metadata.name: Invalid value: "X": bad]');
  });

  it('turns unknown errors into 500 and passes Statuses through', () => {
    expect(toStatus(new Error('boom'))).toMatchObject({ code: 500, reason: 'InternalError', message: 'Internal error occurred: boom' });
    expect(toStatus(notFound({ resource: 'pods', name: 'x' })).code).toBe(404);
  });
});
