// The securityContext matrix on real runc: what a process inside the container sees of its
// uid/gid, capabilities, no_new_privs, seccomp, root filesystem and sysctls. Needs root.
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeCgroup } from '../../cgroups/remove';
import { ContainerDriver, ContainerDriverOptions } from '../driver';
import { buildBusyboxRootfs } from '../testing';
import { ALL_CAPABILITIES, capabilityMask } from './capabilities';
import { loadLocalhostProfile } from './localhost-profile';
import { containerSpecSecurity, KubePodSecurityContext, KubeSecurityContext, resolveSecurity, SecurityContextError } from './security-context';

jest.setTimeout(120_000);

const tag = randomBytes(3).toString('hex');
let dir: string;
let rootfs: string;
let opts: ContainerDriverOptions;
let driver: ContainerDriver;
let n = 0;

const STATUS = "grep -E '^(CapEff|CapBnd|NoNewPrivs|Seccomp):' /proc/self/status";

/** Runs `script` in a container configured from pod/container securityContexts; returns its output. */
async function runWith(script: string, podSc: KubePodSecurityContext | undefined, sc: KubeSecurityContext | undefined, seccompDir?: string): Promise<{ exitCode?: number; out: string }> {
  const resolved = resolveSecurity({
    pod: { namespace: 'default', name: 'sec', securityContext: podSc },
    container: { name: 'c', securityContext: sc },
    imageUser: '',
    passwd: await readFile(join(rootfs, 'etc/passwd'), 'utf8'),
    group: await readFile(join(rootfs, 'etc/group'), 'utf8'),
  });
  const profile = resolved.seccomp.type === 'Localhost' ? await loadLocalhostProfile(seccompDir!, resolved.seccomp.profile) : undefined;
  const id = `sec-${tag}-${n++}`;
  await driver.create({ id, rootfs, args: ['sh', '-c', script], podUid: `pod-${tag}`, ...containerSpecSecurity(resolved, profile) });
  await driver.start(id);
  await driver.waitForExit(id, 20_000);
  const state = await driver.state(id);
  const log = await readFile(await driver.logPath(id), 'utf8');
  await driver.remove(id);
  // CRI log lines: `<time> <stream> <tag> <text>`.
  return { exitCode: state.exitCode, out: log.split('\n').filter(Boolean).map((l) => l.split(' ').slice(3).join(' ')).join('\n') };
}

const field = (out: string, name: string) => out.match(new RegExp(`^${name}:\\s*(\\S+)`, 'm'))?.[1];
const hex = (mask: bigint) => mask.toString(16).padStart(16, '0');

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cox-sec-'));
  rootfs = await buildBusyboxRootfs(join(dir, 'rootfs'));
  await writeFile(join(rootfs, 'etc/passwd'), 'root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/:/bin/sh\n');
  await writeFile(join(rootfs, 'etc/group'), 'root:x:0:\napp:x:1000:\nstaff:x:50:app\n');
  opts = { root: join(dir, 'state'), cgroupParent: `/coxsec-${tag}`, logMaxBytes: 256 * 1024 };
  driver = new ContainerDriver(opts);
  await driver.init();
});

afterAll(async () => {
  const cleaner = new ContainerDriver(opts);
  for (const c of await cleaner.list().catch(() => [])) await cleaner.remove(c.id).catch(() => undefined);
  await removeCgroup(`/coxsec-${tag}`).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('securityContext on runc', () => {
  it('the issue\'s restricted pod runs as 1000 with no capabilities, no_new_privs, seccomp and a read-only root', async () => {
    const { out } = await runWith(`id; ${STATUS}; touch /probe 2>&1 || echo write-refused`,
      { runAsUser: 1000, runAsNonRoot: true },
      { capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(out).toMatch(/^uid=1000\(app\) gid=1000\(app\) groups=50\(staff\)$/m);
    expect(field(out, 'CapEff')).toBe(hex(0n));
    expect(field(out, 'CapBnd')).toBe(hex(0n));
    expect(field(out, 'NoNewPrivs')).toBe('1');
    expect(field(out, 'Seccomp')).toBe('2');
    expect(out).toMatch(/Read-only file system/);
    expect(out).toMatch(/^write-refused$/m);
  });

  it('root by default: containerd\'s capability set, RuntimeDefault blocks unshare with EPERM, privilege escalation allowed', async () => {
    const { out } = await runWith(`id -u; ${STATUS}; unshare -U true 2>&1; echo unshare=$?; touch /probe && echo wrote`, undefined, undefined);
    expect(out).toMatch(/^0$/m);
    expect(field(out, 'CapEff')).toBe('00000000a80425fb');
    expect(field(out, 'NoNewPrivs')).toBe('0');
    expect(field(out, 'Seccomp')).toBe('2');
    expect(out).toMatch(/Operation not permitted/);
    expect(out).toMatch(/^unshare=1$/m);
    expect(out).toMatch(/^wrote$/m);
  });

  it('Unconfined: no filter, and the same unshare succeeds', async () => {
    const { out } = await runWith(`${STATUS}; unshare -U true; echo unshare=$?`, { seccompProfile: { type: 'Unconfined' } }, undefined);
    expect(field(out, 'Seccomp')).toBe('0');
    expect(out).toMatch(/^unshare=0$/m);
  });

  it('drop ALL + add NET_BIND_SERVICE leaves exactly that capability', async () => {
    const { out } = await runWith(STATUS, undefined, { capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } });
    expect(field(out, 'CapEff')).toBe(hex(capabilityMask(['CAP_NET_BIND_SERVICE'])));
    expect(field(out, 'CapBnd')).toBe('0000000000000400');
  });

  it('runAsGroup and supplementalGroups/fsGroup set the process groups', async () => {
    const { out } = await runWith('id', { runAsUser: 4000, runAsGroup: 4001, supplementalGroups: [4002], fsGroup: 4003 }, undefined);
    expect(out).toMatch(/^uid=4000 gid=4001 groups=4002,4003$/m);
  });

  it('applies safe sysctls in the container\'s namespaces', async () => {
    const { out } = await runWith('cat /proc/sys/net/ipv4/ip_unprivileged_port_start /proc/sys/kernel/shm_rmid_forced', {
      sysctls: [{ name: 'net.ipv4.ip_unprivileged_port_start', value: '0' }, { name: 'kernel.shm_rmid_forced', value: '1' }],
    }, undefined);
    expect(out.split('\n')).toEqual(['0', '1']);
  });

  it('privileged: every capability, no seccomp, and mount works', async () => {
    const { out } = await runWith(`${STATUS}; mkdir -p /mnt/t && mount -t tmpfs none /mnt/t && echo mounted`, undefined, { privileged: true });
    // Every capability the runtime itself holds (this host may withhold some from root).
    const own = (await readFile('/proc/self/status', 'utf8')).match(/^CapBnd:\s*(\S+)/m)![1];
    expect(field(out, 'CapEff')).toBe(own);
    expect(capabilityMask(ALL_CAPABILITIES) & BigInt(`0x${own}`)).toBe(BigInt(`0x${own}`));
    expect(field(out, 'Seccomp')).toBe('0');
    expect(out).toMatch(/^mounted$/m);
  });

  it('Localhost profile from the seccomp directory is enforced; a missing one is a config error', async () => {
    const seccompDir = join(dir, 'seccomp');
    await mkdir(join(seccompDir, 'profiles'), { recursive: true });
    // Allow everything except mkdir/mkdirat, which fail with EACCES (13).
    await writeFile(join(seccompDir, 'profiles', 'no-mkdir.json'), JSON.stringify({
      defaultAction: 'SCMP_ACT_ALLOW', syscalls: [{ names: ['mkdir', 'mkdirat'], action: 'SCMP_ACT_ERRNO', errnoRet: 13 }],
    }));
    const { out } = await runWith(`${STATUS}; mkdir /tmp/x 2>&1; echo mkdir=$?`, undefined, { seccompProfile: { type: 'Localhost', localhostProfile: 'profiles/no-mkdir.json' } }, seccompDir);
    expect(field(out, 'Seccomp')).toBe('2');
    expect(out).toMatch(/Permission denied/);
    expect(out).toMatch(/^mkdir=1$/m);
    await expect(runWith('true', undefined, { seccompProfile: { type: 'Localhost', localhostProfile: 'missing.json' } }, seccompDir))
      .rejects.toThrow(SecurityContextError);
  });

  it('keeps config.json (the environment) and record.json readable by root only', async () => {
    const id = `sec-${tag}-modes`;
    await driver.create({ id, rootfs, args: ['true'], env: ['PASSWORD=hunter2'], podUid: `pod-${tag}` });
    const bundle = join(opts.root, 'containers', id);
    expect((await stat(join(bundle, 'config.json'))).mode & 0o777).toBe(0o600);
    expect((await stat(join(bundle, 'record.json'))).mode & 0o777).toBe(0o600);
    await driver.remove(id);
  });
});
