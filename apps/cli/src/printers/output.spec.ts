import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseManifestText } from '../manifests/read';
import { expectGolden } from '../testing/golden';
import { asList, customColumnRows, parseCustomColumns, parseCustomColumnsFile, parseOutputFormat, toJson, toYaml } from './output';

const objects = parseManifestText(readFileSync(join(__dirname, 'testdata/objects.yaml'), 'utf8'), 'objects.yaml');
const pods = objects.filter((o) => o.kind === 'Pod');
const deployment = objects.find((o) => o.kind === 'Deployment')!;

describe('output formats (golden)', () => {
  it('json: 4-space indent, sorted keys, HTML-safe escapes', () => {
    expectGolden(__dirname, 'deployment.json', toJson({ ...deployment, metadata: { ...deployment.metadata, annotations: { note: '<b>&co</b>' } } }));
  });

  it('yaml: sorted keys, unindented sequences, YAML 1.1 quoting of ambiguous strings', () => {
    expectGolden(__dirname, 'deployment.yaml', toYaml({ ...deployment, metadata: { ...deployment.metadata, annotations: { octal: '0644', bool: 'yes', empty: '', multi: 'a\nb\n' } } }));
  });

  it('a List of pods as yaml', () => {
    expectGolden(__dirname, 'pods-list.yaml', toYaml(asList(pods.slice(0, 2))));
  });

  it('jsonpath over a List', () => {
    const format = parseOutputFormat('jsonpath={range .items[*]}{.metadata.namespace}/{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}');
    if (format.kind !== 'jsonpath') throw new Error('not jsonpath');
    expectGolden(__dirname, 'pods.jsonpath', format.path.execute(asList(pods)));
  });

  it('custom-columns: missing values <none>, several values comma-joined, maps as Go prints them', () => {
    const columns = parseCustomColumns('NAME:.metadata.name,NODE:.spec.nodeName,IMAGES:.spec.containers[*].image,LABELS:.metadata.labels');
    expectGolden(__dirname, 'pods.custom-columns', customColumnRows(columns, pods, false));
  });

  it('custom-columns-file has a header line and a path line', () => {
    const columns = parseCustomColumnsFile('NAME   PHASE\n.metadata.name   .status.phase\n');
    expect(customColumnRows(columns, pods.slice(0, 2), true)).toBe('web-7d4b9c-abcde   Running\ncrashy             Running\n');
  });

  it.each([
    ['', 'table'],
    ['wide', 'table'],
    ['json', 'json'],
    ['yaml', 'yaml'],
    ['name', 'name'],
    ['jsonpath={.a}', 'jsonpath'],
    ['jsonpath-as-json={.a}', 'jsonpath'],
    ['custom-columns=A:.a', 'custom-columns'],
  ])('parses -o %s', (value, kind) => {
    expect(parseOutputFormat(value).kind).toBe(kind);
  });

  it.each([
    ['go-template={{.a}}', /unable to match a printer suitable for the output format "go-template=\{\{.a\}\}"/],
    ['jsonpath', /jsonpath format specified but no template given/],
    ['jsonpath={.a', /error parsing jsonpath/],
    ['custom-columns=NOPATH', /expected <header>:<json-path-expr>/],
  ])('rejects -o %s', (value, message) => {
    expect(() => parseOutputFormat(value)).toThrow(message);
  });
});
