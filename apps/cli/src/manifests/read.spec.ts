import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Manifest, parseManifestText, readManifests } from './read';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'coxctl-manifests-'));
  mkdirSync(join(dir, 'app/nested'), { recursive: true });
  writeFileSync(join(dir, 'app/a.yaml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\n# only a comment\n---\napiVersion: v1\nkind: Namespace\nmetadata: {name: b}\n');
  writeFileSync(join(dir, 'app/b.json'), '{"apiVersion": "v1", "kind": "List", "items": [{"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": "c"}}]}');
  writeFileSync(join(dir, 'app/notes.txt'), 'not a manifest');
  writeFileSync(join(dir, 'app/nested/d.yml'), 'apiVersion: v1\nkind: Namespace\nmetadata: {name: d}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const names = (ms: Manifest[]) => ms.map((m) => `${m.source}:${m.object.metadata.name}`);

describe('readManifests', () => {
  it.each([
    ['a directory: its manifest files in order, several documents, JSON lists', ['app'], false, ['app/a.yaml:a', 'app/a.yaml:b', 'app/b.json:c']],
    ['-R descends', ['app'], true, ['app/a.yaml:a', 'app/a.yaml:b', 'app/b.json:c', 'app/nested/d.yml:d']],
    ['a single file', ['app/nested/d.yml'], false, ['app/nested/d.yml:d']],
  ])('%s', async (_name, paths, recursive, want) => {
    expect(names(await readManifests(paths, { cwd: dir, recursive }))).toEqual(want);
  });

  it('reads stdin for -', async () => {
    const got = await readManifests(['-'], { readStdin: async () => 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n' });
    expect(names(got)).toEqual(['STDIN:p']);
  });

  it.each([
    ['a missing path', ['nope.yaml'], 'the path "nope.yaml" does not exist'],
  ])('rejects %s', async (_name, paths, message) => {
    await expect(readManifests(paths, { cwd: dir })).rejects.toThrow(message);
  });
});

describe('parseManifestText', () => {
  it('reads YAML 1.1 like Kubernetes: octal, yes/no, timestamps kept as strings', () => {
    expect(parseManifestText('apiVersion: v1\nkind: ConfigMap\ndata: {mode: 0644, enabled: yes, when: 2024-01-01T00:00:00Z, day: 2024-01-01}\n', 'x')[0].data).toEqual({ mode: 420, enabled: true, when: '2024-01-01T00:00:00Z', day: '2024-01-01' });
  });

  it.each([
    ['broken YAML', 'a: [\n', /error parsing x: error converting YAML to JSON/],
    ['a scalar document', 'just text\n', /a manifest must be an object/],
  ])('rejects %s', (_name, text, message) => {
    expect(() => parseManifestText(text, 'x')).toThrow(message);
  });

  it('requires apiVersion and kind', async () => {
    await expect(readManifests(['-'], { readStdin: async () => 'metadata: {name: x}\n' })).rejects.toThrow('error validating "STDIN": error validating data: [apiVersion not set, kind not set]');
  });
});
