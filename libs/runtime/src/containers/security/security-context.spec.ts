import { DEFAULT_CAPABILITIES } from '../oci-spec';
import { resolveSecurity, runAsNonRootViolation, SecurityContextError, SecurityInput } from './security-context';

const PASSWD = 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1001::/home/app:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n';
const GROUP = 'root:x:0:\nstaff:x:50:app,other\napp:x:1001:\naudio:x:29:app\n';

const input = (over: Partial<SecurityInput> = {}, podSc: SecurityInput['pod']['securityContext'] = undefined, sc: SecurityInput['container']['securityContext'] = undefined): SecurityInput => ({
  pod: { namespace: 'default', name: 'web', securityContext: podSc },
  container: { name: 'app', securityContext: sc },
  imageUser: '',
  passwd: PASSWD,
  group: GROUP,
  ...over,
});

describe('runAsNonRootViolation (the kubelet\'s messages)', () => {
  it.each([
    ['not asked', input(), undefined],
    ['image root by default', input({}, { runAsNonRoot: true }), 'container has runAsNonRoot and image will run as root (pod: "default/web", container: app)'],
    ['image USER 0:0', input({ imageUser: '0:0' }, undefined, { runAsNonRoot: true }), 'container has runAsNonRoot and image will run as root (pod: "default/web", container: app)'],
    ['image USER by name', input({ imageUser: 'app' }, { runAsNonRoot: true }),
      'container has runAsNonRoot and image has non-numeric user (app), cannot verify user is non-root (pod: "default/web", container: app)'],
    ['image USER 1000', input({ imageUser: '1000' }, { runAsNonRoot: true }), undefined],
    ['runAsUser 1000 on a root image', input({}, { runAsNonRoot: true, runAsUser: 1000 }), undefined],
    ['runAsUser 0', input({}, { runAsNonRoot: true }, { runAsUser: 0 }), 'container\'s runAsUser breaks non-root policy (pod: "default/web", container: app)'],
    ['container switches it off', input({}, { runAsNonRoot: true }, { runAsNonRoot: false }), undefined],
  ])('%s', (_n, given, want) => {
    expect(runAsNonRootViolation(given)).toBe(want);
  });
});

describe('resolveSecurity', () => {
  it('defaults: root, containerd\'s caps, RuntimeDefault seccomp, escalation allowed, rw root', () => {
    expect(resolveSecurity(input())).toEqual({
      user: { uid: 0, gid: 0, additionalGids: [] },
      capabilities: expect.arrayContaining(DEFAULT_CAPABILITIES),
      privileged: false, noNewPrivileges: false, readonlyRootfs: false, seccomp: { type: 'RuntimeDefault' }, sysctls: {},
    });
  });

  it('the issue\'s restricted pod', () => {
    const got = resolveSecurity(input({}, { runAsUser: 1000, runAsNonRoot: true }, { capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }));
    expect(got).toEqual({
      user: { uid: 1000, gid: 1001, additionalGids: [50, 29] }, capabilities: [], privileged: false,
      noNewPrivileges: true, readonlyRootfs: true, seccomp: { type: 'RuntimeDefault' }, sysctls: {},
    });
  });

  it.each([
    ['runAsUser without passwd entry → gid 0', input({}, { runAsUser: 4242 }), { uid: 4242, gid: 0, additionalGids: [] }],
    ['container overrides pod', input({}, { runAsUser: 1, runAsGroup: 2 }, { runAsUser: 3 }), { uid: 3, gid: 2, additionalGids: [] }],
    ['image USER by name with its groups', input({ imageUser: 'app' }), { uid: 1000, gid: 1001, additionalGids: [50, 29] }],
    ['image USER uid:group name', input({ imageUser: '1000:staff' }), { uid: 1000, gid: 50, additionalGids: [29] }],
    ['supplementalGroups and fsGroup join, Strict skips /etc/group', input({ imageUser: 'app' }, { supplementalGroups: [5000], fsGroup: 6000, supplementalGroupsPolicy: 'Strict' }),
      { uid: 1000, gid: 1001, additionalGids: [5000, 6000] }],
    ['runAsGroup overrides the image group', input({ imageUser: '1000:1000' }, { runAsGroup: 7 }), { uid: 1000, gid: 7, additionalGids: [50, 29] }],
  ])('user: %s', (_n, given, want) => {
    expect(resolveSecurity(given).user).toEqual(want);
  });

  it.each([
    ['an unknown image user', input({ imageUser: 'ghost' }), 'unable to find user ghost: no matching entries in passwd file'],
    ['an unknown image group', input({ imageUser: '1:ghosts' }), 'unable to find group ghosts: no matching entries in group file'],
    ['an unknown capability', input({}, undefined, { capabilities: { add: ['NOPE'] } }), 'unknown capability "NOPE" in capabilities.add'],
    ['runAsNonRoot on a root image', input({}, { runAsNonRoot: true }), 'container has runAsNonRoot and image will run as root'],
  ])('refuses %s with CreateContainerConfigError', (_n, given, message) => {
    let error: unknown;
    try {
      resolveSecurity(given);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SecurityContextError);
    expect((error as SecurityContextError).reason).toBe('CreateContainerConfigError');
    expect((error as Error).message).toContain(message);
  });

  it.each([
    ['pod Unconfined', { seccompProfile: { type: 'Unconfined' } }, undefined, { type: 'Unconfined' }],
    ['container Localhost over pod Unconfined', { seccompProfile: { type: 'Unconfined' } }, { seccompProfile: { type: 'Localhost', localhostProfile: 'a/b.json' } }, { type: 'Localhost', profile: 'a/b.json' }],
    ['privileged is unconfined', { seccompProfile: { type: 'RuntimeDefault' } }, { privileged: true }, { type: 'Unconfined' }],
  ])('seccomp: %s', (_n, podSc, sc, want) => {
    expect(resolveSecurity(input({}, podSc, sc)).seccomp).toEqual(want);
  });

  it('sysctls keyed by dotted name; privileged gets every capability', () => {
    const got = resolveSecurity(input({}, { sysctls: [{ name: 'net/ipv4/tcp_syncookies', value: '0' }] }, { privileged: true }));
    expect(got.sysctls).toEqual({ 'net.ipv4.tcp_syncookies': '0' });
    expect(got.capabilities).toContain('CAP_SYS_ADMIN');
    expect(got.privileged).toBe(true);
  });
});
