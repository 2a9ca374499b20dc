import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BUILTIN_RESOURCES } from '../core/builtin-resources';
import { FakeApiServer } from '../testing/fake-apiserver';
import { makeTestPki, TestPki } from '../testing/test-certs';
import { clientFromKubeconfig } from './client-from-kubeconfig';
import { deleteEntry, setCluster, setContext, setCurrentNamespace, setUser, useContext } from './edit';
import { kubeconfigFiles, loadKubeconfig } from './load';
import { resolveKubeconfig } from './resolve';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cox-kubeconfig-'));
  mkdirSync(join(dir, 'certs'));
  writeFileSync(join(dir, 'certs', 'ca.crt'), 'CA');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
};

const ONE = `# first file
apiVersion: v1
kind: Config
current-context: ""
clusters:
- name: shared
  cluster: {server: https://one:6443, certificate-authority: certs/ca.crt}
- name: only-one
  cluster: {server: https://only-one}
users:
- name: admin
  user: {token: from-one, tokenFile: tok}
contexts:
- name: dev
  context: {cluster: shared, user: admin, namespace: team-a}
preferences: {colors: yes}
`;

const TWO = `apiVersion: v1
kind: Config
current-context: dev
clusters:
- name: shared
  cluster: {server: https://two:6443}
users:
- name: admin
  user: {token: from-two}
- name: reader
  user: {username: bob, password: pw}
contexts:
- name: dev
  context: {cluster: only-one, user: reader}
- name: prod
  context: {cluster: shared, user: reader}
x-unknown-top: keep-me
`;

describe('kubeconfigFiles', () => {
  it.each([
    ['explicit path wins over KUBECONFIG', { path: '/tmp/x', env: { KUBECONFIG: '/a:/b', HOME: '/home/u' } }, ['/tmp/x'], true],
    ['KUBECONFIG list, empties and duplicates dropped', { env: { KUBECONFIG: '/a::/b:/a', HOME: '/home/u' } }, ['/a', '/b'], false],
    ['~/.kube/config by default', { env: { HOME: '/home/u' } }, ['/home/u/.kube/config'], false],
  ])('%s', (_name, options, files, explicit) => {
    expect(kubeconfigFiles(options)).toEqual({ files, explicit });
  });
});

describe('loadKubeconfig merge', () => {
  it('first file wins per name, first non-empty current-context wins, missing files are skipped', () => {
    const one = write('one', ONE);
    const two = write('two', TWO);
    const loaded = loadKubeconfig({ env: { KUBECONFIG: [one, join(dir, 'missing'), two].join(':') } });
    const table = {
      clusters: loaded.config.clusters.map((c) => `${c.name}=${c.cluster.server}`),
      users: loaded.config.users.map((u) => `${u.name}=${u.user.token ?? u.user.username}`),
      contexts: loaded.config.contexts.map((c) => `${c.name}=${c.context.cluster}`),
      current: loaded.config['current-context'],
      currentFile: loaded.currentContextFile,
      contextOrigin: Object.fromEntries(loaded.origin.contexts),
      preferences: loaded.config.preferences,
      unknown: loaded.config['x-unknown-top'],
    };
    expect(table).toEqual({
      clusters: ['shared=https://one:6443', 'only-one=https://only-one'],
      users: ['admin=from-one', 'reader=bob'],
      contexts: ['dev=shared', 'prod=shared'],
      current: 'dev',
      currentFile: two,
      contextOrigin: { dev: one, prod: two },
      preferences: { colors: true }, // YAML 1.1: yes is a boolean
      unknown: 'keep-me',
    });
  });

  it('resolves relative file references against the file that holds them', () => {
    const one = write('one', ONE);
    const loaded = loadKubeconfig({ path: one });
    expect(loaded.config.clusters[0].cluster['certificate-authority']).toBe(join(dir, 'certs/ca.crt'));
    expect(loaded.config.users[0].user.tokenFile).toBe(join(dir, 'tok'));
  });

  it.each([
    ['a missing explicit file', () => loadKubeconfig({ path: join(dir, 'nope') }), /does not exist/],
    ['a file that is not a mapping', () => loadKubeconfig({ path: write('bad', '- a\n- b\n') }), /not a mapping/],
    ['broken YAML', () => loadKubeconfig({ path: write('broken', 'a: [\n') }), /kubeconfig/],
  ])('rejects %s', (_name, load, message) => {
    expect(load).toThrow(message);
  });

  it('gives an empty config when ~/.kube/config does not exist', () => {
    const loaded = loadKubeconfig({ env: { HOME: dir } });
    expect(loaded.config.contexts).toEqual([]);
    expect(() => resolveKubeconfig(loaded)).toThrow(/no API server configured/);
  });
});

describe('resolveKubeconfig', () => {
  it.each([
    ['current context (dev from the first file)', {}, { contextName: 'dev', namespace: 'team-a', server: 'https://one:6443', token: 'from-one' }],
    ['--context', { context: 'prod' }, { contextName: 'prod', namespace: 'default', server: 'https://one:6443', username: 'bob', password: 'pw' }],
    ['--namespace', { namespace: 'ns1' }, { contextName: 'dev', namespace: 'ns1', server: 'https://one:6443', token: 'from-one' }],
    ['--server and --token', { server: 'https://flag', token: 't' }, { contextName: 'dev', namespace: 'team-a', server: 'https://flag', token: 't' }],
  ])('%s', (_name, options, want) => {
    const loaded = loadKubeconfig({ env: { KUBECONFIG: [write('one', ONE.replace('tokenFile: tok', '')), write('two', TWO)].join(':') } });
    const resolved = resolveKubeconfig(loaded, options);
    expect({ contextName: resolved.contextName, namespace: resolved.namespace, ...resolved.connection }).toMatchObject(want);
  });

  it('reads CA, client cert/key and token from files or inline data', () => {
    writeFileSync(join(dir, 'ca.pem'), 'CA-PEM');
    writeFileSync(join(dir, 'token'), 'file-token\n');
    const file = write(
      'cfg',
      `current-context: c
contexts: [{name: c, context: {cluster: k, user: u, namespace: ns}}]
clusters: [{name: k, cluster: {server: "https://k", certificate-authority: ca.pem, tls-server-name: kube}}]
users: [{name: u, user: {tokenFile: token, client-certificate-data: ${Buffer.from('CERT').toString('base64')}, client-key-data: ${Buffer.from('KEY').toString('base64')}}}]
`,
    );
    const { connection, namespace } = resolveKubeconfig(loadKubeconfig({ path: file }));
    expect({ ...connection, ca: connection.ca?.toString(), cert: connection.cert?.toString(), key: connection.key?.toString() }).toEqual({
      server: 'https://k',
      ca: 'CA-PEM',
      cert: 'CERT',
      key: 'KEY',
      token: 'file-token',
      tlsServerName: 'kube',
      insecureSkipTlsVerify: false,
    });
    expect(namespace).toBe('ns');
  });

  it.each([
    ['an unknown context', { context: 'nope' }, /context "nope" does not exist/],
    ['an unknown user', { context: 'prod', user: 'ghost' }, /user "ghost" does not exist/],
    ['an unknown cluster', { context: 'prod', cluster: 'nowhere' }, /cluster "nowhere" does not exist/],
  ])('rejects %s', (_name, options, message) => {
    const loaded = loadKubeconfig({ path: write('two', TWO) });
    expect(() => resolveKubeconfig(loaded, options)).toThrow(message);
  });

  it('rejects exec plugins clearly', () => {
    const file = write('exec', `current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\nclusters: [{name: k, cluster: {server: "https://k"}}]\nusers: [{name: u, user: {exec: {command: aws}}}]\n`);
    expect(() => resolveKubeconfig(loadKubeconfig({ path: file }))).toThrow(/exec\/auth-provider plugin/);
  });
});

describe('kubeconfig edits', () => {
  it('use-context writes current-context where it was set and keeps comments and unknown fields', () => {
    const one = write('one', ONE);
    const two = write('two', TWO);
    const env = { KUBECONFIG: `${one}:${two}` };
    const after = useContext(loadKubeconfig({ env }), 'prod');
    expect(after.config['current-context']).toBe('prod');
    expect(readFileSync(two, 'utf8')).toMatch(/current-context: prod/);
    expect(readFileSync(two, 'utf8')).toMatch(/x-unknown-top: keep-me/);
    expect(readFileSync(one, 'utf8')).toBe(ONE);
    expect(() => useContext(after, 'nope')).toThrow(/no context exists/);
  });

  it('set-context --current --namespace edits the context in the file that defines it', () => {
    const one = write('one', ONE);
    const two = write('two', TWO);
    const loaded = loadKubeconfig({ env: { KUBECONFIG: `${one}:${two}` } });
    const after = setCurrentNamespace(loaded, 'team-b'); // current 'dev' is defined in file one
    expect(resolveKubeconfig(after).namespace).toBe('team-b');
    const text = readFileSync(one, 'utf8');
    expect(text).toMatch(/^# first file/);
    expect(text).toMatch(/namespace: team-b/);
    expect(text).toMatch(/colors: yes/); // YAML 1.1 scalar written back as it was
    expect(readFileSync(two, 'utf8')).toBe(TWO);
    const cleared = setCurrentNamespace(after, null);
    expect(resolveKubeconfig(cleared).namespace).toBe('default');
  });

  it('creates the default file with new cluster, user and context entries, mode 0600', () => {
    const home = join(dir, 'home');
    const env = { HOME: home };
    let loaded = loadKubeconfig({ env });
    loaded = setCluster(loaded, 'local', { server: 'https://127.0.0.1:6443', 'insecure-skip-tls-verify': true });
    loaded = setUser(loaded, 'me', { token: 'abc' });
    loaded = setContext(loaded, 'local', { cluster: 'local', user: 'me', namespace: 'default' });
    loaded = useContext(loaded, 'local');
    const file = join(home, '.kube', 'config');
    expect(existsSync(file)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(resolveKubeconfig(loaded)).toMatchObject({ contextName: 'local', connection: { server: 'https://127.0.0.1:6443', token: 'abc', insecureSkipTlsVerify: true } });

    loaded = deleteEntry(loaded, 'users', 'me');
    expect(loaded.config.users).toEqual([]);
    expect(() => deleteEntry(loaded, 'users', 'me')).toThrow(/does not exist/);
  });
});

describe('clientFromKubeconfig', () => {
  let pki: TestPki;
  beforeAll(() => {
    pki = makeTestPki('alice');
  });

  const kubeconfigFor = (server: string, cluster: string, user: string) =>
    write('cfg', `apiVersion: v1\nkind: Config\ncurrent-context: c\ncontexts: [{name: c, context: {cluster: k, user: u, namespace: work}}]\nclusters: [{name: k, cluster: ${cluster.replace('SERVER', server)}}]\nusers: [{name: u, user: ${user}}]\n`);
  const b64 = (s: string) => Buffer.from(s).toString('base64');

  it('talks bearer-token HTTP and reports the context namespace', async () => {
    const server = await FakeApiServer.start({ token: 's3cret' });
    try {
      const { client, namespace } = clientFromKubeconfig({ path: kubeconfigFor(server.url, '{server: SERVER}', '{token: s3cret}') });
      expect(namespace).toBe('work');
      await expect(client.list(BUILTIN_RESOURCES.Pod, { namespace })).resolves.toMatchObject({ items: [] });
      await client.destroy();
    } finally {
      await server.stop();
    }
  });

  it('verifies the server with the CA and authenticates with a client certificate', async () => {
    const server = await FakeApiServer.start({ tls: { cert: pki.serverCert, key: pki.serverKey, ca: pki.ca } });
    try {
      writeFileSync(join(dir, 'ca.crt'), pki.ca);
      const cluster = `{server: SERVER, certificate-authority: ca.crt}`;
      const user = `{client-certificate-data: ${b64(pki.clientCert)}, client-key-data: ${b64(pki.clientKey)}}`;
      const { client } = clientFromKubeconfig({ path: kubeconfigFor(server.url, cluster, user) });
      await client.list(BUILTIN_RESOURCES.Node);
      expect(server.requests[0].clientCN).toBe('alice');
      await client.destroy();

      // Without the CA the server certificate is not trusted...
      const untrusted = clientFromKubeconfig({ path: kubeconfigFor(server.url, '{server: SERVER}', user) }).client;
      await expect(untrusted.list(BUILTIN_RESOURCES.Node)).rejects.toThrow();
      await untrusted.destroy();
      // ...unless verification is explicitly skipped.
      const insecure = clientFromKubeconfig({ path: kubeconfigFor(server.url, '{server: SERVER, insecure-skip-tls-verify: true}', user) }).client;
      await expect(insecure.list(BUILTIN_RESOURCES.Node)).resolves.toMatchObject({ items: [] });
      await insecure.destroy();
    } finally {
      await server.stop();
    }
  });
});

describe('HA server list in a kubeconfig', () => {
  const cluster = (extra: string) => `current-context: c
contexts: [{name: c, context: {cluster: k, user: u}}]
users: [{name: u, user: {token: t}}]
clusters: [{name: k, cluster: {server: "https://a:6443"${extra}}}]
`;
  it.each([
    ['one server', '', 'https://a:6443'],
    ['the servers.coxswain.io extension lists every API server (kubectl keeps dialling `server`)', ', extensions: [{name: servers.coxswain.io, extension: {servers: ["https://a:6443", "https://b:6443"]}}]', 'https://a:6443,https://b:6443'],
    ['another extension is ignored', ', extensions: [{name: other.example.com, extension: {servers: ["https://x"]}}]', 'https://a:6443'],
    ['an extension without a usable list is ignored', ', extensions: [{name: servers.coxswain.io, extension: {servers: []}}]', 'https://a:6443'],
  ])('%s', (_name, extra, want) => {
    const file = write(`ha-${Math.random().toString(36).slice(2)}`, cluster(extra));
    expect(resolveKubeconfig(loadKubeconfig({ path: file })).connection.server).toBe(want);
  });
});
