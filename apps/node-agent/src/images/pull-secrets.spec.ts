import { credentialsForImage, dockerAuthsOf, normalizeRegistryKey, registerPullCredentials } from './pull-secrets';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const dockerconfigjson = (auths: Record<string, object>) => ({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64(JSON.stringify({ auths })) } });
const basic = (user: string, pass: string) => ({ auth: b64(`${user}:${pass}`) });

describe('normalizeRegistryKey', () => {
  it.each([
    ['https://index.docker.io/v1/', 'docker.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io/library', 'docker.io/library'],
    ['http://reg.local:5000/', 'reg.local:5000'],
    ['reg.local:5000/team', 'reg.local:5000/team'],
  ])('%s → %s', (key, want) => {
    expect(normalizeRegistryKey(key)).toBe(want);
  });
});

describe('credentialsForImage', () => {
  const secrets = [
    dockerconfigjson({ 'reg.local:5000': basic('alice', 'pw1'), 'reg.local:5000/team': basic('team', 'pw2'), 'https://index.docker.io/v1/': { username: 'hub', password: 'hubpw' } }),
    { type: 'kubernetes.io/dockercfg', data: { '.dockercfg': b64(JSON.stringify({ 'other.io': basic('old', 'style') })) } },
    { type: 'Opaque', data: { '.dockerconfigjson': b64(JSON.stringify({ auths: { 'evil.io': basic('x', 'y') } })) } },
  ];

  it.each<[string, object | undefined]>([
    ['reg.local:5000/app:1', { username: 'alice', password: 'pw1' }],
    ['reg.local:5000/team/app', { username: 'team', password: 'pw2' }],
    ['reg.local:5000/teamx/app', { username: 'alice', password: 'pw1' }],
    ['busybox', { username: 'hub', password: 'hubpw' }],
    ['other.io/x/y@sha256:' + 'a'.repeat(64), { username: 'old', password: 'style' }],
    ['evil.io/x', undefined],
    ['unknown.io/x', undefined],
  ])('%s', (image, want) => {
    expect(credentialsForImage(image, secrets)).toEqual(want);
  });

  it('ignores undecodable secrets', () => {
    expect(dockerAuthsOf({ type: 'kubernetes.io/dockerconfigjson', data: { '.dockerconfigjson': b64('{nope') } })).toEqual({});
  });

  it('registers credentials for the mirrors and the upstream of the image domain', () => {
    const config = { mirrors: { 'docker.io': ['http://10.0.0.1:5000'] } };
    expect(registerPullCredentials(config, 'busybox', { username: 'u', password: 'p' }).sort()).toEqual(['10.0.0.1:5000', 'registry-1.docker.io'].sort());
    expect((config as { auths?: object }).auths).toEqual({ '10.0.0.1:5000': { username: 'u', password: 'p' }, 'registry-1.docker.io': { username: 'u', password: 'p' } });
  });
});
