import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeApiServer } from '@coxswain/client';
import { runCli } from '../testing/cli';
import { collectSources, generateConfigMap, generateSecret } from './create-config';

let server: FakeApiServer;
let dir: string;
let kubeconfig: string;
const cli = (args: string[]) => runCli(['--kubeconfig', kubeconfig, ...args], { cwd: dir });

beforeAll(async () => {
  server = await FakeApiServer.start({ token: 't0k' });
  dir = mkdtempSync(join(tmpdir(), 'coxctl-cfg-'));
  kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, `apiVersion: v1\nkind: Config\ncurrent-context: dev\nclusters: [{name: fake, cluster: {server: "${server.url}"}}]\nusers: [{name: me, user: {token: t0k}}]\ncontexts: [{name: dev, context: {cluster: fake, user: me, namespace: default}}]\n`);
  writeFileSync(join(dir, 'app.properties'), 'color=blue\n');
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(join(dir, 'conf.d', 'a.conf'), 'A');
  writeFileSync(join(dir, 'conf.d', 'bad name'), 'skipped');
  writeFileSync(join(dir, 'blob.bin'), Buffer.from([0xff, 0xfe, 0x00]));
});

afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('create configmap / secret generic', () => {
  it('collects literals, files (renamed with key=) and directories like kubectl', () => {
    const values = collectSources({ literals: ['x=1=2'], files: [join(dir, 'app.properties'), `renamed=${join(dir, 'app.properties')}`, join(dir, 'conf.d')] }, 'ConfigMap', 'c');
    expect(Object.fromEntries([...values].map(([k, v]) => [k, v.toString()]))).toEqual({ x: '1=2', 'app.properties': 'color=blue\n', renamed: 'color=blue\n', 'a.conf': 'A' });
  });

  it.each<[string, { literals: string[]; files: string[] }, string]>([
    ['duplicate key', { literals: ['a=1', 'a=2'], files: [] }, 'cannot add key a, another key by that name already exists in Data for ConfigMap "c"'],
    ['literal without =', { literals: ['novalue'], files: [] }, 'invalid literal source novalue, expected key=value'],
    ['invalid key', { literals: ['a b=1'], files: [] }, '"a b" is not a valid key name for a ConfigMap'],
  ])('refuses %s', (_name, sources, message) => {
    expect(() => collectSources(sources, 'ConfigMap', 'c')).toThrow(message);
  });

  it('puts non-UTF-8 file content in binaryData; secrets base64 everything', () => {
    const values = new Map([['text', Buffer.from('hi')], ['bin', Buffer.from([0xff, 0x00])]]);
    expect(generateConfigMap('c', values)).toEqual({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { text: 'hi' }, binaryData: { bin: '/wA=' } });
    expect(generateSecret('s', '', values)).toEqual({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { text: 'aGk=', bin: '/wA=' } });
  });

  it('creates them through the API and prints what kubectl prints', async () => {
    expect(await cli(['create', 'configmap', 'app', '--from-file=app.properties', '--from-literal=mode=prod'])).toEqual({ code: 0, stderr: '', stdout: 'configmap/app created\n' });
    expect(await cli(['create', 'secret', 'generic', 'db', '--from-literal=password=s3cr3t', '--type=kubernetes.io/basic-auth'])).toEqual({ code: 0, stderr: '', stdout: 'secret/db created\n' });
    const cm = JSON.parse((await cli(['get', 'configmap', 'app', '-o', 'json'])).stdout);
    expect(cm.data).toEqual({ 'app.properties': 'color=blue\n', mode: 'prod' });
    const secret = JSON.parse((await cli(['get', 'secret', 'db', '-o', 'json'])).stdout);
    expect(secret).toMatchObject({ type: 'kubernetes.io/basic-auth', data: { password: Buffer.from('s3cr3t').toString('base64') } });
  });
});
