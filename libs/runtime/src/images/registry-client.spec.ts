import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DigestMismatchError, ImageNotFoundError, RegistryUnavailableError } from './errors';
import { registryEndpoints } from './hosts';
import { MediaType } from './manifest';
import { parseReference } from './reference';
import { RegistryClient } from './registry-client';

const sha = (b: Buffer | string) => 'sha256:' + createHash('sha256').update(b).digest('hex');
const BLOB = Buffer.from('x'.repeat(5000) + 'y'.repeat(5000));
const MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: MediaType.OciManifest,
  config: { mediaType: MediaType.OciConfig, digest: sha('{}'), size: 2 },
  layers: [{ mediaType: MediaType.OciLayerGzip, digest: sha(BLOB), size: BLOB.length }],
});

type Auth = 'none' | 'bearer' | 'basic';

/** A fake distribution API (unit tests only): one repo `team/app:v1`, pluggable auth and Range support. */
class FakeRegistry {
  server!: Server;
  url = '';
  host = '';
  log: Array<{ path: string; auth?: string; range?: string }> = [];
  auth: Auth = 'none';
  honourRange = true;
  lieAboutDigest = false;

  async start(): Promise<this> {
    this.server = createServer((req, res) => this.handle(req, res));
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    this.host = `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    this.url = `http://${this.host}`;
    return this;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((r) => this.server.close(() => r()));
  }

  private handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', this.url);
    this.log.push({ path: url.pathname + url.search, auth: req.headers.authorization, range: req.headers.range as string | undefined });
    if (url.pathname === '/token') {
      if (url.searchParams.get('scope') !== 'repository:team/app:pull' || url.searchParams.get('service') !== 'fake') return res.writeHead(400).end();
      return res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'T0K' }));
    }
    if (!this.authorised(req.headers.authorization)) {
      const challenge = this.auth === 'bearer' ? `Bearer realm="${this.url}/token",service="fake",scope="repository:team/app:pull"` : 'Basic realm="fake"';
      return res.writeHead(401, { 'www-authenticate': challenge }).end();
    }
    if (url.pathname === '/v2/team/app/manifests/v1' || url.pathname === `/v2/team/app/manifests/${sha(MANIFEST)}`) {
      const digest = this.lieAboutDigest ? sha('something else') : sha(MANIFEST);
      return res.writeHead(200, { 'content-type': MediaType.OciManifest, 'docker-content-digest': digest }).end(MANIFEST);
    }
    if (url.pathname === `/v2/team/app/blobs/${sha(BLOB)}`) {
      const m = /^bytes=(\d+)-$/.exec(String(req.headers.range ?? ''));
      if (m && this.honourRange) {
        const from = Number(m[1]);
        return res.writeHead(206, { 'content-range': `bytes ${from}-${BLOB.length - 1}/${BLOB.length}` }).end(BLOB.subarray(from));
      }
      return res.writeHead(200).end(BLOB);
    }
    res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: [{ code: 'MANIFEST_UNKNOWN', message: 'manifest unknown' }] }));
  }

  private authorised(header: string | undefined): boolean {
    if (this.auth === 'none') return true;
    if (this.auth === 'bearer') return header === 'Bearer T0K';
    return header === `Basic ${Buffer.from('u:p').toString('base64')}`;
  }
}

describe('RegistryClient against a fake registry', () => {
  let reg: FakeRegistry;
  let dir: string;
  let client: RegistryClient | undefined;
  beforeEach(async () => {
    reg = await new FakeRegistry().start();
    dir = await mkdtemp(join(tmpdir(), 'cox-regclient-'));
  });
  afterEach(async () => {
    await client?.close();
    client = undefined;
    await reg.stop();
    await rm(dir, { recursive: true, force: true });
  });
  const make = (config: ConstructorParameters<typeof RegistryClient>[0] = {}) => (client = new RegistryClient(config));

  it.each<{ auth: Auth; auths?: Record<string, { username?: string; password?: string }> }>([
    { auth: 'none' },
    { auth: 'bearer' },
    { auth: 'basic', auths: { PLACEHOLDER: { username: 'u', password: 'p' } } },
  ])('resolves a manifest with $auth auth', async ({ auth, auths }) => {
    reg.auth = auth;
    const c = make({ config: { auths: auths ? { [reg.host]: auths.PLACEHOLDER } : undefined } });
    const got = await c.resolve(parseReference(`${reg.host}/team/app:v1`));
    expect(got.digest).toBe(sha(MANIFEST));
    expect(got.mediaType).toBe(MediaType.OciManifest);
    // A second request reuses the token/credentials instead of being challenged again.
    await c.resolve(parseReference(`${reg.host}/team/app:v1`));
    expect(reg.log.filter((l) => l.path.startsWith('/token?')).length).toBe(auth === 'bearer' ? 1 : 0);
    expect(reg.log.filter((l) => l.path.startsWith('/v2/')).length).toBe(auth === 'none' ? 2 : 3);
  });

  it('reports denied access as ImageNotFoundError naming the endpoint', async () => {
    reg.auth = 'basic';
    const c = make();
    const err = await c.resolve(parseReference(`${reg.host}/team/app:v1`)).catch((e) => e);
    expect(err).toBeInstanceOf(ImageNotFoundError);
    expect(err.message).toContain(reg.url);
    expect(err.message).toContain('denied');
  });

  it('rejects a manifest whose bytes do not match the registry digest', async () => {
    reg.lieAboutDigest = true;
    await expect(make().resolve(parseReference(`${reg.host}/team/app:v1`))).rejects.toBeInstanceOf(DigestMismatchError);
  });

  it('rejects a manifest that does not match a pinned digest', async () => {
    const pinned = `${reg.host}/team/app:v1@${sha('other')}`;
    // Asked by digest, the fake 404s; asked by tag with a wrong pin it must not be accepted.
    await expect(make().resolve(parseReference(pinned))).rejects.toBeInstanceOf(ImageNotFoundError);
    const c = make();
    const endpoint = registryEndpoints(reg.host)[0];
    await expect(c.fetchManifest(endpoint, 'team/app', 'v1', sha('other'))).rejects.toBeInstanceOf(DigestMismatchError);
  });

  it('tries mirrors in order, then the upstream, and says which were tried', async () => {
    const dead = `http://127.0.0.1:1`;
    // The upstream is pointed at a dead loopback port so the test never leaves the machine.
    const c = make({ config: { mirrors: { 'docker.io': [dead, reg.url] }, servers: { 'docker.io': 'http://127.0.0.1:9' } } });
    const got = await c.resolve(parseReference('team/app:v1'));
    expect(got.endpoint.url).toBe(reg.url);
    const missing = await c.resolve(parseReference('team/nope:v1')).catch((e) => e);
    expect(missing).toBeInstanceOf(ImageNotFoundError);
    expect(missing.message).toContain('docker.io/team/nope:v1');
    expect(missing.attempts.map((a: { endpoint: string; outcome: string }) => [a.endpoint, a.outcome])).toEqual([
      [dead, 'unreachable'],
      [reg.url, 'not-found'],
      ['http://127.0.0.1:9', 'unreachable'],
    ]);
  });

  it('raises RegistryUnavailableError when no endpoint can be reached', async () => {
    const c = make({ config: { mirrors: { 'example.invalid:1': ['http://127.0.0.1:1'] } } });
    const err = await c.resolve(parseReference('127.0.0.1:1/x/y:z')).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryUnavailableError);
    expect(err.attempts).toHaveLength(1);
  });

  it.each([
    { name: 'resumes a partial download with a Range request', honourRange: true, wantRange: 'bytes=4000-' },
    { name: 'starts over when the server ignores Range', honourRange: false, wantRange: 'bytes=4000-' },
  ])('$name', async ({ honourRange, wantRange }) => {
    reg.honourRange = honourRange;
    const dest = join(dir, 'partial');
    await writeFile(dest, BLOB.subarray(0, 4000));
    const c = make();
    const endpoint = registryEndpoints(reg.host)[0];
    const seen: number[] = [];
    const got = await c.downloadBlob(endpoint, 'team/app', { mediaType: MediaType.OciLayerGzip, digest: sha(BLOB), size: BLOB.length }, dest, (n) => seen.push(n));
    expect(got).toEqual({ digest: sha(BLOB), size: BLOB.length });
    expect(await readFile(dest)).toEqual(BLOB);
    expect(reg.log.find((l) => l.path.includes('/blobs/'))?.range).toBe(wantRange);
    expect(seen[seen.length - 1]).toBe(BLOB.length);
  });

  it('refuses to write more bytes than the descriptor size', async () => {
    const c = make();
    const endpoint = registryEndpoints(reg.host)[0];
    const desc = { mediaType: MediaType.OciLayerGzip, digest: sha(BLOB), size: 100 };
    await expect(c.downloadBlob(endpoint, 'team/app', desc, join(dir, 'small'))).rejects.toBeInstanceOf(DigestMismatchError);
  });
});
