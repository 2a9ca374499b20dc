// The node's DHCP responder against busybox udhcpc (the guest's client) in a network namespace
// the test creates, over a veth pair: the lease lands on the interface; unknown MACs get no
// answer. Needs root; cleans its netns and veth up.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DhcpServer } from './dhcp-server';

const exec = promisify(execFile);
jest.setTimeout(60_000);

const tag = randomBytes(3).toString('hex');
const ns = `cxdhcp${tag}`;
const hostIf = `cxdh${tag}`;
const guestIf = `cxdg${tag}`;
const subnet = `10.${150 + (parseInt(tag.slice(0, 2), 16) % 50)}.${parseInt(tag.slice(2, 4), 16)}`;
let dir: string;
let server: DhcpServer;
let mac: string;

// What the guest's /etc/udhcpc.script does, reduced to printing what it would apply.
const SCRIPT = '#!/bin/sh\n[ "$1" = bound ] && ip addr add "$ip/$mask" dev "$interface" && echo "lease $ip/$mask router $router dns $dns search $search hostname $hostname"\nexit 0\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cox-dhcp-'));
  await writeFile(join(dir, 'script'), SCRIPT, { mode: 0o755 });
  await exec('ip', ['netns', 'add', ns]);
  await exec('ip', ['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', guestIf]);
  await exec('ip', ['link', 'set', guestIf, 'netns', ns]);
  await exec('ip', ['addr', 'add', `${subnet}.1/24`, 'dev', hostIf]);
  await exec('ip', ['link', 'set', hostIf, 'up']);
  await exec('ip', ['netns', 'exec', ns, 'ip', 'link', 'set', guestIf, 'up']);
  mac = (await exec('ip', ['netns', 'exec', ns, 'cat', `/sys/class/net/${guestIf}/address`])).stdout.trim();
  server = new DhcpServer();
  expect(await server.start()).toBe(true);
});

afterAll(async () => {
  server?.stop();
  await exec('ip', ['link', 'del', hostIf]).catch(() => undefined);
  await exec('ip', ['netns', 'del', ns]).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

const udhcpc = () => exec('ip', ['netns', 'exec', ns, 'busybox', 'udhcpc', '-i', guestIf, '-B', '-n', '-q', '-t', '3', '-T', '1', '-s', join(dir, 'script')]).then((r) => ({ ok: true, out: r.stdout + r.stderr }), (e) => ({ ok: false, out: `${e.stdout}${e.stderr}` }));

describe('DhcpServer', () => {
  it('does not answer a MAC it has no lease for', async () => {
    const { ok, out } = await udhcpc();
    expect(ok).toBe(false);
    expect(out).not.toContain('lease ');
  });

  it('gives a known MAC its lease: address, mask, router, DNS, search list, hostname', async () => {
    server.add({ mac, ip: `${subnet}.7`, prefixLength: 24, gateway: `${subnet}.1`, dns: ['10.96.0.10'], search: ['shop.svc.cluster.local', 'cluster.local'], hostname: 'db-0', leaseSeconds: 3600 });
    const { ok, out } = await udhcpc();
    expect(ok).toBe(true);
    expect(out).toContain(`lease ${subnet}.7/24 router ${subnet}.1 dns 10.96.0.10 search shop.svc.cluster.local cluster.local hostname db-0`);
    const addr = (await exec('ip', ['netns', 'exec', ns, 'ip', '-4', '-o', 'addr', 'show', guestIf])).stdout;
    expect(addr).toContain(`inet ${subnet}.7/24`);
  });

  it('forgets a removed lease', async () => {
    server.remove(mac.toUpperCase());
    await exec('ip', ['netns', 'exec', ns, 'ip', 'addr', 'flush', 'dev', guestIf]);
    expect((await udhcpc()).ok).toBe(false);
  });
});
