import { validateObject } from './validate';
import { isNamespacedSysctl, isSafeSysctl } from './security';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const pod = (podSc: Obj | undefined, containerSc: Obj | undefined, extra: Obj = {}): Obj => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: { ...(podSc ? { securityContext: podSc } : {}), containers: [{ name: 'app', image: 'busybox', ...(containerSc ? { securityContext: containerSc } : {}) }], ...extra },
});

const causesOf = (obj: Obj) => validateObject(obj).causes.map((c) => ({ field: c.field, reason: c.reason }));

describe('securityContext validation', () => {
  it.each([
    ['the issue\'s restricted pod', { runAsUser: 1000, runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
      { capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false }],
    ['safe and namespaced sysctls', { sysctls: [{ name: 'net.ipv4.ip_local_port_range', value: '1024 65000' }, { name: 'kernel.msgmax', value: '65536' }] }, undefined],
    ['Localhost seccomp with a relative profile', { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/audit.json' } }, undefined],
    ['AppArmor Unconfined is what runs', undefined, { appArmorProfile: { type: 'Unconfined' } }],
    ['fsGroup and supplemental groups', { fsGroup: 2000, supplementalGroups: [3000, 4000], fsGroupChangePolicy: 'OnRootMismatch' }, { runAsGroup: 3000 }],
  ])('accepts %s', (_n, podSc, containerSc) => {
    expect(causesOf(pod(podSc, containerSc))).toEqual([]);
  });

  it.each([
    ['negative runAsUser', undefined, { runAsUser: -1 }, {}, [{ field: 'spec.containers[0].securityContext.runAsUser', reason: 'FieldValueInvalid' }]],
    ['a huge fsGroup', { fsGroup: 2 ** 31 }, undefined, {}, [{ field: 'spec.securityContext.fsGroup', reason: 'FieldValueInvalid' }]],
    ['a bad supplemental group', { supplementalGroups: [1, 'x'] }, undefined, {}, [{ field: 'spec.securityContext.supplementalGroups[1]', reason: 'FieldValueInvalid' }]],
    ['seLinuxOptions', { seLinuxOptions: { level: 's0:c1' } }, undefined, {}, [{ field: 'spec.securityContext.seLinuxOptions', reason: 'FieldValueForbidden' }]],
    ['windowsOptions', undefined, { windowsOptions: { runAsUserName: 'x' } }, {}, [{ field: 'spec.containers[0].securityContext.windowsOptions', reason: 'FieldValueForbidden' }]],
    ['AppArmor RuntimeDefault', undefined, { appArmorProfile: { type: 'RuntimeDefault' } }, {}, [{ field: 'spec.containers[0].securityContext.appArmorProfile.type', reason: 'FieldValueForbidden' }]],
    ['hostUsers: false', undefined, undefined, { hostUsers: false }, [{ field: 'spec.hostUsers', reason: 'FieldValueForbidden' }]],
    ['procMount Unmasked', undefined, { procMount: 'Unmasked' }, {}, [{ field: 'spec.containers[0].securityContext.procMount', reason: 'FieldValueForbidden' }]],
    ['an unknown seccomp type', { seccompProfile: { type: 'Strict' } }, undefined, {}, [{ field: 'spec.securityContext.seccompProfile.type', reason: 'FieldValueNotSupported' }]],
    ['Localhost without a profile', undefined, { seccompProfile: { type: 'Localhost' } }, {}, [{ field: 'spec.containers[0].securityContext.seccompProfile.localhostProfile', reason: 'FieldValueRequired' }]],
    ['a profile escaping the seccomp dir', undefined, { seccompProfile: { type: 'Localhost', localhostProfile: '../../etc/x.json' } }, {}, [{ field: 'spec.containers[0].securityContext.seccompProfile.localhostProfile', reason: 'FieldValueInvalid' }]],
    ['a profile with RuntimeDefault', { seccompProfile: { type: 'RuntimeDefault', localhostProfile: 'x.json' } }, undefined, {}, [{ field: 'spec.securityContext.seccompProfile.localhostProfile', reason: 'FieldValueForbidden' }]],
    ['no escalation but privileged', undefined, { allowPrivilegeEscalation: false, privileged: true }, {}, [{ field: 'spec.containers[0].securityContext', reason: 'FieldValueInvalid' }]],
    ['no escalation but CAP_SYS_ADMIN', undefined, { allowPrivilegeEscalation: false, capabilities: { add: ['CAP_SYS_ADMIN'] } }, {}, [{ field: 'spec.containers[0].securityContext', reason: 'FieldValueInvalid' }]],
    ['a non-namespaced sysctl', { sysctls: [{ name: 'vm.swappiness', value: '1' }] }, undefined, {}, [{ field: 'spec.securityContext.sysctls[0].name', reason: 'FieldValueForbidden' }]],
    ['a malformed sysctl', { sysctls: [{ name: 'Net..x', value: '1' }] }, undefined, {}, [{ field: 'spec.securityContext.sysctls[0].name', reason: 'FieldValueInvalid' }]],
    ['a duplicate sysctl', { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }, { name: 'net/ipv4/tcp_syncookies', value: '0' }] }, undefined, {},
      [{ field: 'spec.securityContext.sysctls[1].name', reason: 'FieldValueDuplicate' }]],
    ['a net sysctl with hostNetwork', { sysctls: [{ name: 'net.ipv4.tcp_syncookies', value: '1' }] }, undefined, { hostNetwork: true },
      [{ field: 'spec.securityContext.sysctls[0].name', reason: 'FieldValueInvalid' }]],
  ])('refuses %s', (_n, podSc, containerSc, extra, want) => {
    expect(causesOf(pod(podSc, containerSc, extra))).toEqual(want);
  });

  it('keeps the fields it knows through pruning', () => {
    const result = validateObject(pod({ runAsUser: 1 }, { capabilities: { add: ['NET_ADMIN'] }, seccompProfile: { type: 'Unconfined' } }));
    expect(result.unknownFields).toEqual([]);
  });

  it('checks templates too', () => {
    const deployment = {
      apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd', namespace: 'default' },
      spec: { selector: { matchLabels: { a: 'b' } }, template: { metadata: { labels: { a: 'b' } }, spec: pod(undefined, { procMount: 'Unmasked' }).spec } },
    };
    expect(causesOf(deployment)).toEqual([{ field: 'spec.template.spec.containers[0].securityContext.procMount', reason: 'FieldValueForbidden' }]);
  });
});

describe('sysctl classes', () => {
  it.each([
    ['net.ipv4.tcp_syncookies', true, true],
    ['net/ipv4/ip_local_port_range', true, true],
    ['kernel.shm_rmid_forced', true, true],
    ['net.core.somaxconn', false, true],
    ['kernel.sem', false, true],
    ['fs.mqueue.msg_max', false, true],
    ['vm.overcommit_memory', false, false],
    ['kernel.panic', false, false],
  ])('%s safe=%s namespaced=%s', (name, safe, namespaced) => {
    expect(isSafeSysctl(name)).toBe(safe);
    expect(isNamespacedSysctl(name)).toBe(namespaced);
  });
});
