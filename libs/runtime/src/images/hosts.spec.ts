import { insecureHosts, parseAuthChallenge, registryEndpoints, tokenUrl } from './hosts';

describe('registryEndpoints', () => {
  it.each([
    {
      name: 'docker.io without mirrors goes to registry-1',
      domain: 'docker.io',
      config: {},
      want: [{ url: 'https://registry-1.docker.io', host: 'registry-1.docker.io', mirror: false, skipVerify: false }],
    },
    {
      name: 'mirrors first, in order, then upstream',
      domain: 'docker.io',
      config: { mirrors: { 'docker.io': ['http://127.0.0.1:5000', 'mirror.example:443/'] } },
      want: [
        { url: 'http://127.0.0.1:5000', host: '127.0.0.1:5000', mirror: true, skipVerify: false },
        { url: 'https://mirror.example:443', host: 'mirror.example:443', mirror: true, skipVerify: false },
        { url: 'https://registry-1.docker.io', host: 'registry-1.docker.io', mirror: false, skipVerify: false },
      ],
    },
    {
      name: 'mirrors of another domain do not apply',
      domain: 'quay.io',
      config: { mirrors: { 'docker.io': ['http://127.0.0.1:5000'] } },
      want: [{ url: 'https://quay.io', host: 'quay.io', mirror: false, skipVerify: false }],
    },
    {
      name: 'insecure host without scheme uses http',
      domain: 'reg.local:5000',
      config: { insecure: ['reg.local:5000'] },
      want: [{ url: 'http://reg.local:5000', host: 'reg.local:5000', mirror: false, skipVerify: true }],
    },
    {
      name: 'insecure https mirror skips verification',
      domain: 'docker.io',
      config: { mirrors: { 'docker.io': ['https://m.local/v2/'] }, insecure: ['m.local'] },
      want: [
        { url: 'https://m.local', host: 'm.local', mirror: true, skipVerify: true },
        { url: 'https://registry-1.docker.io', host: 'registry-1.docker.io', mirror: false, skipVerify: false },
      ],
    },
    {
      name: 'a server override replaces the upstream',
      domain: 'docker.io',
      config: { mirrors: { 'docker.io': ['http://127.0.0.1:5000'] }, servers: { 'docker.io': 'https://hub.internal' } },
      want: [
        { url: 'http://127.0.0.1:5000', host: '127.0.0.1:5000', mirror: true, skipVerify: false },
        { url: 'https://hub.internal', host: 'hub.internal', mirror: false, skipVerify: false },
      ],
    },
    {
      name: 'loopback registries default to http',
      domain: 'localhost:5000',
      config: {},
      want: [{ url: 'http://localhost:5000', host: 'localhost:5000', mirror: false, skipVerify: false }],
    },
  ])('$name', ({ domain, config, want }) => expect(registryEndpoints(domain, config)).toEqual(want));
});

describe('parseAuthChallenge', () => {
  it.each([
    {
      header: 'Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/busybox:pull"',
      want: { scheme: 'bearer', params: { realm: 'https://auth.docker.io/token', service: 'registry.docker.io', scope: 'repository:library/busybox:pull' } },
    },
    { header: 'Basic realm="Registry Realm"', want: { scheme: 'basic', params: { realm: 'Registry Realm' } } },
    { header: 'bearer realm=https://x/token, service=reg', want: { scheme: 'bearer', params: { realm: 'https://x/token', service: 'reg' } } },
    { header: 'Bearer realm="a\\"b",error="invalid_token"', want: { scheme: 'bearer', params: { realm: 'a"b', error: 'invalid_token' } } },
    { header: '', want: undefined },
  ])('$header', ({ header, want }) => expect(parseAuthChallenge(header)).toEqual(want));
});

describe('tokenUrl', () => {
  it('adds service and the challenge scope', () => {
    const c = { scheme: 'bearer', params: { realm: 'https://auth.example/token', service: 'reg', scope: 'repository:a/b:pull' } };
    expect(tokenUrl(c, 'a/b')).toBe('https://auth.example/token?service=reg&scope=repository%3Aa%2Fb%3Apull');
  });
  it('defaults the scope to pull on the repository', () => {
    expect(tokenUrl({ scheme: 'bearer', params: { realm: 'http://127.0.0.1:1/t' } }, 'library/busybox')).toBe(
      'http://127.0.0.1:1/t?scope=repository%3Alibrary%2Fbusybox%3Apull',
    );
  });
});

describe('insecureHosts', () => {
  it.each<{ name: string; mirrors: Record<string, string[]>; declared: string[]; want: string[] }>([
    { name: 'declared hosts kept', mirrors: {}, declared: ['reg.local:5000'], want: ['reg.local:5000'] },
    { name: 'http mirror is plain by declaration', mirrors: { 'docker.io': ['http://10.0.0.5:5000'] }, declared: [], want: ['10.0.0.5:5000'] },
    { name: 'https mirror stays verified', mirrors: { 'docker.io': ['https://mirror.example'] }, declared: [], want: [] },
    { name: 'https mirror declared insecure', mirrors: { 'docker.io': ['https://mirror.example'] }, declared: ['mirror.example'], want: ['mirror.example'] },
  ])('$name', ({ mirrors, declared, want }) => {
    expect(insecureHosts(mirrors, declared)).toEqual(want);
  });
});
