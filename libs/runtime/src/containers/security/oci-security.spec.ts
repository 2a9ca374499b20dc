import { buildOciConfig, MASKED_PATHS } from '../oci-spec';
import { ContainerSpec } from '../types';
import { runtimeDefaultSeccomp } from './seccomp';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const base: ContainerSpec = { id: 'c1', rootfs: '/r', args: ['sh'] };
const config = (security?: ContainerSpec['security'], hostDevices?: Obj[]) => buildOciConfig({ ...base, security }, { cgroupsPath: '/x/c1', hostDevices: hostDevices as never }) as Obj;

describe('buildOciConfig security fields', () => {
  it('without a security spec: default caps, RuntimeDefault seccomp, no_new_privs', () => {
    const c = config();
    expect(c.process.noNewPrivileges).toBe(true);
    expect(c.linux.seccomp).toEqual(runtimeDefaultSeccomp(c.process.capabilities.bounding));
    expect(c.linux.maskedPaths).toEqual(MASKED_PATHS);
  });

  it('drops to the given caps in every set and filters syscalls for them', () => {
    const c = config({ capabilities: [], noNewPrivileges: true });
    expect(c.process.capabilities).toEqual({ bounding: [], effective: [], permitted: [] });
    expect(c.linux.seccomp.defaultAction).toBe('SCMP_ACT_ERRNO');
  });

  it('unconfined leaves seccomp out; sysctls land in linux.sysctl', () => {
    const c = config({ seccomp: 'unconfined', noNewPrivileges: false, sysctls: { 'net.ipv4.tcp_syncookies': '0' } });
    expect(c.linux.seccomp).toBeUndefined();
    expect(c.process.noNewPrivileges).toBe(false);
    expect(c.linux.sysctl).toEqual({ 'net.ipv4.tcp_syncookies': '0' });
  });

  it('a Localhost profile is passed through', () => {
    const profile = { defaultAction: 'SCMP_ACT_LOG' };
    expect(config({ seccomp: profile }).linux.seccomp).toEqual(profile);
  });

  it('privileged: all caps and devices, host nodes, no seccomp or masks, writable /sys', () => {
    const dev = { path: '/dev/loop0', type: 'b', major: 7, minor: 0, fileMode: 0o660, uid: 0, gid: 6 };
    const c = config({ privileged: true, seccomp: undefined }, [dev]);
    expect(c.process.capabilities.bounding).toContain('CAP_SYS_ADMIN');
    expect(c.linux.seccomp).toBeUndefined();
    expect(c.linux.maskedPaths).toEqual([]);
    expect(c.linux.readonlyPaths).toEqual([]);
    expect(c.linux.resources.devices).toEqual([{ allow: true, access: 'rwm' }]);
    expect(c.linux.devices).toEqual([dev]);
    expect(c.mounts.find((m: Obj) => m.destination === '/sys').options).toContain('rw');
  });

  it('host devices are ignored unless privileged', () => {
    expect(config({}, [{ path: '/dev/sda' }]).linux.devices).toBeUndefined();
  });
});
