import { UserInfo } from '../auth/tokens';
import { RequestInfo } from '../request/request-info';
import { DEFAULT_FLOW_CONTROL, FlowController, isLongRunning, laneOf } from './flow-control';

const user = (name: string, role: UserInfo['role']): UserInfo => ({ name, uid: name, groups: [], role });
const req = (verb: string, subresource?: string): RequestInfo => ({ isResourceRequest: true, path: '/', verb, group: '', version: 'v1', resource: 'pods', subresource, rest: [] });
const tiny = { ...DEFAULT_FLOW_CONTROL, maxRequestsInflight: 2, maxMutatingRequestsInflight: 2, queueLengthPerUser: 1, maxWaitMs: 50, maxLongRunningPerUser: 2 };

describe('laneOf and isLongRunning', () => {
  it.each<[UserInfo['role'], string]>([
    ['node', 'system'],
    ['scheduler', 'system'],
    ['controller', 'system'],
    ['admin', 'workload'],
    ['viewer', 'workload'],
  ])('%s → %s', (role, lane) => expect(laneOf(user('u', role))).toBe(lane));

  it.each<[string, string | undefined, boolean]>([
    ['watch', undefined, true],
    ['get', 'log', true],
    ['create', 'exec', true],
    ['get', undefined, false],
    ['list', undefined, false],
    ['update', 'status', false],
  ])('%s %s long-running: %p', (verb, sub, want) => expect(isLongRunning(req(verb, sub))).toBe(want));
});

describe('FlowController', () => {
  it('answers 429 with Retry-After to a user over its share while a node keeps its seats', async () => {
    const rejected: string[] = [];
    const flow = new FlowController(tiny, { rejected: (lane, reason) => rejected.push(`${lane}:${reason}`) });
    const admin = user('admin', 'admin');
    await flow.admit(admin, req('create')); // the workload lane has 1 mutating seat (half of 2)
    const queued = flow.admit(admin, req('create')); // waits in admin's queue (length 1)
    await expect(flow.admit(admin, req('create'))).rejects.toMatchObject({ status: { code: 429, reason: 'TooManyRequests', details: { retryAfterSeconds: 1 } } });
    await expect(queued).rejects.toMatchObject({ status: { code: 429 } }); // timed out waiting
    // A node's heartbeat is in its own lane and goes straight through.
    const release = await flow.admit(user('system:node:n1', 'node'), req('update'));
    expect(typeof release).toBe('function');
    expect(rejected).toEqual(['workload:queue-full', 'workload:time-out']);
  });

  it('keeps read-only and mutating seats apart', async () => {
    const flow = new FlowController(tiny);
    const admin = user('admin', 'admin');
    await flow.admit(admin, req('create'));
    await expect(flow.admit(admin, req('get'))).resolves.toEqual(expect.any(Function));
  });

  it('caps open watches per workload user, not per system component, and frees them on release', async () => {
    const flow = new FlowController(tiny);
    const viewer = user('viewer', 'viewer');
    const first = await flow.admit(viewer, req('watch'));
    await flow.admit(viewer, req('get', 'log'));
    await expect(flow.admit(viewer, req('watch'))).rejects.toMatchObject({ status: { code: 429 } });
    first();
    await expect(flow.admit(viewer, req('watch'))).resolves.toEqual(expect.any(Function));
    const node = user('system:node:n1', 'node');
    for (let i = 0; i < 5; i++) await flow.admit(node, req('watch'));
  });
});
