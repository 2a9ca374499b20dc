// Real bridge, netns, veth, iptables and runc containers. Needs root.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { access, mkdtemp, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { removeCgroup } from '../cgroups/remove';
import { ContainerDriver } from '../containers/driver';
import { buildBusyboxRootfs } from '../containers/testing';
import { createTap, deleteTap, PodNetwork, PodNetworkOptions } from './pod-network';

const exec = promisify(execFile);
jest.setTimeout(60_000);

const tag = randomBytes(3).toString('hex');
const subnet = `10.${100 + (parseInt(tag.slice(0, 2), 16) % 100)}.${parseInt(tag.slice(2, 4), 16)}`;
let dir: string;
let rootfs: string;
let opts: PodNetworkOptions;
let net: PodNetwork;
let driver: ContainerDriver;
const pods: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const exists = (p: string) => access(p).then(() => true, () => false);

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function fetchText(url: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      return await res.text();
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await sleep(100);
    }
  }
}

function podUid(name: string): string {
  const uid = `${name}-${tag}`;
  pods.push(uid);
  return uid;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cox-net-'));
  rootfs = await buildBusyboxRootfs(join(dir, 'rootfs'));
  await writeFile(join(rootfs, 'var', 'www', 'index.html'), 'hello from pod\n');
  opts = {
    stateDir: join(dir, 'net'), bridge: `coxb${tag}`, podCidr: `${subnet}.0/24`,
    netnsPrefix: `coxt${tag}-`, vethPrefix: `v${tag}`, hostPortChain: `COXT-HP-${tag}`,
  };
  net = new PodNetwork(opts);
  driver = new ContainerDriver({ root: join(dir, 'runtime'), cgroupParent: `/coxnet-${tag}` });
  await driver.init();
});

afterAll(async () => {
  for (const c of await driver.list().catch(() => [])) await driver.remove(c.id).catch(() => undefined);
  for (const uid of pods) await net.teardownPod(uid).catch(() => undefined);
  await net.destroy().catch(() => undefined);
  await removeCgroup(`/coxnet-${tag}`).catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('PodNetwork', () => {
  it('gives a pod an address on the bridge: containers share localhost, the host reaches the pod IP and its hostPort', async () => {
    const uid = podUid('web');
    const hostPort = await freePort();
    const pod = await net.setupPod(uid, { hostPorts: [{ hostPort, containerPort: 8080 }] });
    expect(pod.ip.startsWith(`${subnet}.`)).toBe(true);
    expect(pod).toMatchObject({ gateway: `${subnet}.1`, prefixLength: 24 });
    expect(await exists(pod.netnsPath)).toBe(true);

    const network = { path: pod.netnsPath };
    await driver.create({ id: `srv-${tag}`, rootfs, args: ['httpd', '-f', '-p', '8080', '-h', '/var/www'], podUid: uid, namespaces: { network } });
    await driver.start(`srv-${tag}`);
    await driver.create({
      id: `cli-${tag}`, rootfs, podUid: uid, namespaces: { network },
      args: ['sh', '-c', 'for i in 1 2 3 4 5 6 7 8 9 10; do wget -q -O - http://127.0.0.1:8080/index.html && exit 0; sleep 0.2; done; exit 1'],
    });
    await driver.start(`cli-${tag}`);
    await driver.waitForExit(`cli-${tag}`, 15_000);
    expect(await driver.state(`cli-${tag}`)).toMatchObject({ status: 'exited', exitCode: 0 });
    expect(await readFile(await driver.logPath(`cli-${tag}`), 'utf8')).toMatch(/stdout F hello from pod/);

    // The container sees the pod's eth0 address.
    const addr = await driver.execCapture(`srv-${tag}`, ['ip', '-4', 'addr', 'show', 'eth0']);
    expect(addr.stdout).toContain(`${pod.ip}/24`);

    expect(await fetchText(`http://${pod.ip}:8080/index.html`)).toBe('hello from pod\n');
    expect(await fetchText(`http://${net.gateway}:${hostPort}/index.html`)).toBe('hello from pod\n');
  });

  it('teardown removes hostPort rules, veth, namespace and address, and can be repeated', async () => {
    const uid = podUid('gone');
    const hostPort = await freePort();
    const pod = await net.setupPod(uid, { hostPorts: [{ hostPort, containerPort: 80 }, { hostPort, containerPort: 53, protocol: 'UDP' }] });
    const rules = async () => (await exec('iptables', ['-w', '-t', 'nat', '-S', opts.hostPortChain!])).stdout;
    expect((await rules()).match(new RegExp(`coxswain pod ${uid}`, 'g'))).toHaveLength(2);

    await net.teardownPod(uid);
    await net.teardownPod(uid);
    expect(await rules()).not.toContain(uid);
    expect(await exists(pod.netnsPath)).toBe(false);
    expect(await exists(`/sys/class/net/${pod.hostVeth}`)).toBe(false);
    expect((await net.listPods()).has(uid)).toBe(false);
  });

  it('a new PodNetwork (an agent restart) finds and removes hostPort rules an earlier one added', async () => {
    const uid = podUid('left');
    const hostPort = await freePort();
    await net.setupPod(uid, { hostPorts: [{ hostPort, containerPort: 80 }] });
    const rules = async () => (await exec('iptables', ['-w', '-t', 'nat', '-S', opts.hostPortChain!])).stdout;
    expect(await rules()).toContain(uid);
    const restarted = new PodNetwork(opts);
    await restarted.teardownPod(uid);
    expect(await rules()).not.toContain(uid);
  });

  it('keeps addresses across a restart: setup again is idempotent, the host can ping the pod', async () => {
    const uid = podUid('keep');
    const first = await net.setupPod(uid);
    const other = await new PodNetwork(opts).setupPod(podUid('other'));
    const again = await new PodNetwork(opts).setupPod(uid);
    expect(again).toEqual(first);
    expect(other.ip).not.toBe(first.ip);
    expect((await new PodNetwork(opts).listPods()).get(uid)).toBe(first.ip);
    await exec('ping', ['-c', '1', '-W', '2', first.ip]);
    const inside = await exec('ip', ['-n', first.netnsName, 'route', 'show', 'default']);
    expect(inside.stdout).toContain(`via ${net.gateway} dev eth0`);
  });

  it('creates a tap device on the bridge for a VM', async () => {
    const tap = `t${tag}x`;
    try {
      await createTap(tap, net.bridge);
      await createTap(tap, net.bridge); // idempotent
      expect((await readlink(`/sys/class/net/${tap}/master`)).endsWith(`/${net.bridge}`)).toBe(true);
      expect(await readFile(`/sys/class/net/${tap}/tun_flags`, 'utf8')).toMatch(/^0x/);
    } finally {
      await deleteTap(tap);
    }
    expect(await exists(`/sys/class/net/${tap}`)).toBe(false);
    await deleteTap(tap);
  });

  it('adds and removes the egress masquerade rule', async () => {
    const forward = await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8');
    const check = () => exec('iptables', ['-w', '-t', 'nat', '-C', 'POSTROUTING', '-s', opts.podCidr!, '!', '-o', net.bridge,
      '-m', 'comment', '--comment', `coxswain egress ${net.bridge}`, '-j', 'MASQUERADE']);
    try {
      await net.enableEgress();
      await net.enableEgress();
      await check();
      expect((await readFile('/proc/sys/net/ipv4/ip_forward', 'utf8')).trim()).toBe('1');
      await net.disableEgress();
      await expect(check()).rejects.toThrow();
    } finally {
      await net.disableEgress();
      await writeFile('/proc/sys/net/ipv4/ip_forward', forward);
    }
  });
});
