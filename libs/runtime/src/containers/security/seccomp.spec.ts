import { runtimeDefaultSeccomp } from './seccomp';

const allowedNames = (caps: string[]) => new Set(runtimeDefaultSeccomp(caps, 'x64').syscalls!.filter((r) => r.action === 'SCMP_ACT_ALLOW' && !r.args).flatMap((r) => r.names));

describe('runtimeDefaultSeccomp', () => {
  it('is an allowlist that fails everything else with EPERM', () => {
    const p = runtimeDefaultSeccomp([], 'x64');
    expect(p.defaultAction).toBe('SCMP_ACT_ERRNO');
    expect(p.defaultErrnoRet).toBe(1);
    expect(p.architectures).toEqual(['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32']);
  });

  it.each([
    ['ordinary syscalls', [], ['read', 'write', 'openat', 'execve', 'futex', 'arch_prctl', 'rseq', 'socket'], []],
    ['no namespaces, mounts, modules, keyrings or ptrace without capabilities', [], [], ['unshare', 'setns', 'mount', 'umount2', 'init_module', 'keyctl', 'add_key', 'ptrace', 'bpf', 'reboot', 'chroot', 'kexec_load']],
    ['CAP_SYS_ADMIN unlocks mount and unshare', ['CAP_SYS_ADMIN'], ['mount', 'unshare', 'setns', 'clone', 'clone3'], ['keyctl', 'ptrace']],
    ['CAP_SYS_PTRACE unlocks ptrace', ['CAP_SYS_PTRACE'], ['ptrace', 'process_vm_readv'], ['mount']],
    ['CAP_SYS_CHROOT unlocks chroot', ['CAP_SYS_CHROOT'], ['chroot'], ['mount']],
  ])('%s', (_n, caps, allowed, blocked) => {
    const names = allowedNames(caps);
    for (const s of allowed) expect(names.has(s)).toBe(true);
    for (const s of blocked) expect(names.has(s)).toBe(false);
  });

  it('filters clone flags and reports clone3 as missing without CAP_SYS_ADMIN', () => {
    const rules = runtimeDefaultSeccomp(['CAP_CHOWN'], 'x64').syscalls!;
    expect(rules.find((r) => r.names.includes('clone'))).toEqual({ names: ['clone'], action: 'SCMP_ACT_ALLOW', args: [{ index: 0, value: 0x7e020000, valueTwo: 0, op: 'SCMP_CMP_MASKED_EQ' }] });
    expect(rules.find((r) => r.names.includes('clone3'))).toEqual({ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: 38 });
    expect(runtimeDefaultSeccomp(['CAP_SYS_ADMIN'], 'x64').syscalls!.filter((r) => r.names.includes('clone3')).map((r) => r.action)).toEqual(['SCMP_ACT_ALLOW']);
  });

  it('allows only Linux personalities', () => {
    const values = runtimeDefaultSeccomp([], 'x64').syscalls!.filter((r) => r.names.includes('personality')).map((r) => r.args![0].value);
    expect(values).toEqual([0x0, 0x8, 0x20000, 0x20008, 0xffffffff]);
  });
});
