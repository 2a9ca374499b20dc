import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { createHarnessNetwork, HarnessNetwork } from './netns';

const exec = promisify(execFile);
const ping = (netns: string, address: string) =>
  exec('ip', ['netns', 'exec', netns, 'ping', '-c', '1', '-W', '1', address]).then(() => true, () => false);

// Real namespaces, veths and a bridge: two simulated hosts reach each other and the host,
// a cut-off host reaches nobody until restored, and nothing is left behind.
describe('createHarnessNetwork', () => {
  let net: HarnessNetwork;
  afterAll(async () => {
    await net?.destroy();
  });

  it('connects hosts, cuts one off, restores it and cleans up', async () => {
    net = await createHarnessNetwork('10.213.250');
    const a = await net.addHost('a');
    const b = await net.addHost('b');
    expect([a.address, b.address]).toEqual(['10.213.250.2', '10.213.250.3']);
    expect(await ping(a.netns, b.address)).toBe(true);
    expect(await ping(b.netns, net.gateway)).toBe(true);

    await net.cutOff(b);
    expect(await ping(a.netns, b.address)).toBe(false);
    expect(await ping(b.netns, net.gateway)).toBe(false);

    await net.restore(b);
    expect(await ping(a.netns, b.address)).toBe(true);

    await net.destroy();
    const { stdout } = await exec('ip', ['netns', 'list']);
    expect(stdout).not.toContain(a.netns);
    await expect(exec('ip', ['link', 'show', net.bridge])).rejects.toThrow();
  }, 30_000);
});
