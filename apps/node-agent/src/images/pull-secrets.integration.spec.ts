// imagePullSecrets against a real docker-registry that requires basic auth (htpasswd, bcrypt):
// without credentials the pull is refused; with the credentials a dockerconfigjson Secret
// yields (registered for the image's registry, here a docker.io mirror) it succeeds.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBusyboxImage, pushImage, RunningRegistry, startRegistry } from '@coxswain/harness';
import { ImageStore, RegistryConfig } from '@coxswain/runtime';
import { credentialsForImage, registerPullCredentials } from './pull-secrets';

jest.setTimeout(120_000);

const b64 = (s: string) => Buffer.from(s).toString('base64');
const bcrypt = (password: string) => execFileSync('python3', ['-W', 'ignore', '-c', 'import crypt,sys; print(crypt.crypt(sys.argv[1], crypt.mksalt(crypt.METHOD_BLOWFISH)))', password]).toString().trim();

let dataDir: string;
let work: string;
let registry: RunningRegistry;
const stores: ImageStore[] = [];

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'cox-pullsecret-'));
  dataDir = join(work, 'registry');
  // Push anonymously, then serve the same storage with auth required.
  const open = await startRegistry({ dataDir });
  await pushImage(open.url, (await buildBusyboxImage()).dir, 'private/busybox:1');
  await open.stop();
  registry = await startRegistry({ dataDir, htpasswd: `robot:${bcrypt('pull-pass')}\n` });
});

afterAll(async () => {
  for (const store of stores) await store.close().catch(() => undefined);
  await registry?.stop();
  await rm(work, { recursive: true, force: true });
});

async function store(config: RegistryConfig): Promise<ImageStore> {
  const s = new ImageStore({ root: await mkdtemp(join(work, 'store-')), registry: config });
  stores.push(s);
  return s;
}

describe('pulls with imagePullSecrets', () => {
  const image = 'docker.io/private/busybox:1';
  const config = (): RegistryConfig => ({ mirrors: { 'docker.io': [registry.url] }, servers: { 'docker.io': 'http://127.0.0.1:9' }, insecure: [registry.host] });

  it('is refused without credentials', async () => {
    await expect((await store(config())).pull(image)).rejects.toThrow();
  });

  it('succeeds with the credentials of a dockerconfigjson Secret', async () => {
    const secret = { type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'https://index.docker.io/v1/': { auth: b64('robot:pull-pass') } } })) } };
    const creds = credentialsForImage(image, [secret]);
    expect(creds).toEqual({ username: 'robot', password: 'pull-pass' });
    const cfg = config();
    const s = await store(cfg);
    registerPullCredentials(cfg, image, creds!);
    const info = await s.pull(image);
    expect(info.layers.length).toBeGreaterThan(0);
  });

  it('wrong credentials are refused', async () => {
    const cfg = config();
    registerPullCredentials(cfg, image, { username: 'robot', password: 'wrong' });
    await expect((await store(cfg)).pull(image)).rejects.toThrow();
  });
});
