import { fieldPath, forDiff, parseYamlDocs, toYaml } from './yaml-docs';

const TWO = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  template:
    spec:
      containers:
        - name: a
          image: busybox
        - name: b
          image: nginx
---
apiVersion: v1
kind: Namespace
metadata:
  name: team
`;

describe('parseYamlDocs', () => {
  it('splits documents and keeps their first line', () => {
    const docs = parseYamlDocs(TWO);
    expect(docs.map((d) => [d.object?.kind, d.line])).toEqual([['Deployment', 1], ['Namespace', 15]]);
  });

  it.each([
    ['metadata.name', 4],
    ['spec.replicas', 6],
    ['spec.template.spec.containers[0].image', 11],
    ['spec.template.spec.containers[1].image', 13],
    ['spec.template.spec.containers[1]', 12],
    ['spec.template.spec.containers[5].image', 9],
    ['spec.missing.deeper', 5],
    ['', 1],
  ])('locates %p at line %p', (field, line) => expect(parseYamlDocs(TWO)[0].lineOf(field)).toBe(line));

  it('locates fields in later documents by absolute line', () => expect(parseYamlDocs(TWO)[1].lineOf('metadata.name')).toBe(18));

  it('reads YAML 1.1 like Kubernetes: octal modes and yes/no booleans', () => {
    const [doc] = parseYamlDocs('mode: 0644\nflag: yes\nquoted: "yes"\n');
    expect(doc.object).toEqual({ mode: 420, flag: true, quoted: 'yes' });
  });

  it.each([
    { name: 'syntax error with its line', text: 'a: 1\nb: c: d\n', line: 2 },
    { name: 'a list is not an object', text: '- a\n- b\n', line: 1 },
    { name: 'a scalar is not an object', text: 'hello\n', line: 1 },
  ])('$name', ({ text, line }) => {
    const [doc] = parseYamlDocs(text);
    expect(doc.object).toBeUndefined();
    expect(doc.errors[0].line).toBe(line);
  });

  it('skips empty documents', () => expect(parseYamlDocs('---\n---\nkind: A\n---\n')).toHaveLength(1));
  it('field paths with brackets', () => expect(fieldPath('metadata.labels[app.kubernetes.io/name].x[2]')).toEqual(['metadata', 'labels', 'app.kubernetes.io/name', 'x', 2]));
});

describe('toYaml / forDiff', () => {
  const obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', uid: 'u', resourceVersion: '5', creationTimestamp: 't', generation: 2, managedFields: [{}], labels: { a: 'yes' } }, spec: { x: 1 } };
  it('hides managedFields but keeps the rest', () => {
    const text = toYaml(obj);
    expect(text).not.toContain('managedFields');
    expect(text).toContain('resourceVersion: "5"');
    expect(text).toContain('a: "yes"');
  });
  it('diffs ignore server bookkeeping', () => {
    expect(forDiff(obj)).toBe(forDiff({ ...obj, metadata: { ...obj.metadata, uid: 'other', resourceVersion: '9' } }));
    expect(forDiff(undefined)).toBe('');
  });
});
