import { ApiError, Status } from '@coxswain/client';
import { UsageError } from './cli/spec';
import { CliError, formatError, withSource } from './errors';

const status = (code: number, reason: string, message: string, details?: Status['details']): ApiError =>
  new ApiError({ kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message, details });

describe('formatError (kubectl CheckErr)', () => {
  it.each([
    ['NotFound', status(404, 'NotFound', 'pods "x" not found'), 'Error from server (NotFound): pods "x" not found\n'],
    ['AlreadyExists', status(409, 'AlreadyExists', 'deployments.apps "web" already exists'), 'Error from server (AlreadyExists): deployments.apps "web" already exists\n'],
    ['Forbidden', status(403, 'Forbidden', 'pods is forbidden: User "viewer" cannot create resource "pods"'), 'Error from server (Forbidden): pods is forbidden: User "viewer" cannot create resource "pods"\n'],
    ['no reason', status(500, '', 'boom'), 'Error from server: boom\n'],
    ['Unauthorized', status(401, 'Unauthorized', 'Unauthorized'), 'error: You must be logged in to the server (Unauthorized)\n'],
    [
      'Invalid with one cause',
      status(422, 'Invalid', 'Deployment.apps "web" is invalid', { kind: 'Deployment', name: 'web', causes: [{ field: 'spec.replicas', message: 'Invalid value: -1: must be greater than or equal to 0' }] }),
      'The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0\n',
    ],
    [
      'Invalid with several causes',
      status(422, 'Invalid', 'x', { kind: 'Pod', name: 'p', causes: [{ field: 'spec.containers', message: 'Required value' }, { field: 'metadata.name', message: 'Invalid value' }] }),
      'The Pod "p" is invalid: \n* spec.containers: Required value\n* metadata.name: Invalid value\n',
    ],
    ['Invalid without details', status(422, 'Invalid', 'bad thing'), 'The request is invalid: bad thing\n'],
    ['usage error with the command hint', new UsageError('unknown flag: --x', ['rollout', 'status']), "error: unknown flag: --x\nSee 'coxctl rollout status --help' for usage.\n"],
    ['plain error gets "error: "', new CliError('no objects passed to apply'), 'error: no objects passed to apply\n'],
    ['connection refused', Object.assign(new Error('fetch failed'), { cause: { code: 'ECONNREFUSED', address: '127.0.0.1', port: 6443 } }), 'The connection to the server 127.0.0.1:6443 was refused - did you specify the right host or port?\n'],
  ])('%s', (_name, error, want) => {
    expect(formatError(error)).toBe(want);
  });

  it('withSource names the file like kubectl apply', () => {
    const err = withSource(status(409, 'AlreadyExists', 'pods "p" already exists'), 'creating', 'pod.yaml');
    expect(formatError(err)).toBe('Error from server (AlreadyExists): error when creating "pod.yaml": pods "p" already exists\n');
  });
});
