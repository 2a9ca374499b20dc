import { goValue, JsonPath, relaxedJsonPath } from './jsonpath';

const list = {
  kind: 'List',
  items: [
    { metadata: { name: 'a', labels: { app: 'web', 'k8s.io/x': 'dotted' } }, spec: { containers: [{ name: 'c1', image: 'nginx' }, { name: 'c2', image: 'busybox' }] }, status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], restarts: 2 } },
    { metadata: { name: 'b', labels: { app: 'db' } }, spec: { containers: [{ name: 'c1', image: 'postgres' }] }, status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }], restarts: 0 } },
  ],
};

describe('JsonPath templates (kubectl -o jsonpath)', () => {
  it.each([
    ['a field', '{.kind}', 'List'],
    ['wildcard values are space separated', '{.items[*].metadata.name}', 'a b'],
    ['text around actions', 'names: {.items[*].metadata.name}!', 'names: a b!'],
    ['index and negative index', '{.items[0].metadata.name},{.items[-1].metadata.name}', 'a,b'],
    ['slice', '{.items[0:1].metadata.name}', 'a'],
    ['nested wildcard', '{.items[*].spec.containers[*].image}', 'nginx busybox postgres'],
    ['range with literals', '{range .items[*]}{.metadata.name}{"\\t"}{.status.phase}{"\\n"}{end}', 'a\tRunning\nb\tPending\n'],
    ['nested range', '{range .items[*]}{.metadata.name}:{range .spec.containers[*]}[{.name}]{end};{end}', 'a:[c1][c2];b:[c1];'],
    ['filter on a string', '{.items[?(@.status.phase=="Pending")].metadata.name}', 'b'],
    ['filter with single quotes inside a range', "{range .items[*]}{.status.conditions[?(@.type=='Ready')].status} {end}", 'True False '],
    ['filter on a number', '{.items[?(@.status.restarts>1)].metadata.name}', 'a'],
    ['existence filter', '{.items[?(@.metadata.labels.app)].metadata.name}', 'a b'],
    ['quoted key with dots', "{.items[0].metadata.labels['k8s.io/x']}", 'dotted'],
    ['union of names', "{.items[0].metadata.labels['app','k8s.io/x']}", 'web dotted'],
    ['recursive descent', '{..image}', 'nginx busybox postgres'],
    ['maps print as compact JSON', '{.items[1].metadata.labels}', '{"app":"db"}'],
    ['missing keys print nothing', '{.items[*].metadata.nope}', ''],
    ['root symbol', '{$.items[1].metadata.name}', 'b'],
    ['comma-separated paths in one action', '{.items[0].metadata.name,.items[1].metadata.name}', 'a b'],
  ])('%s', (_name, template, want) => {
    expect(new JsonPath(template).execute(list)).toBe(want);
  });

  it.each([
    ['unclosed action', '{.items'],
    ['end without range', '{end}'],
    ['range without end', '{range .items[*]}{.x}'],
    ['bad index', '{.items[x]}'],
  ])('rejects %s', (_name, template) => {
    expect(() => new JsonPath(template)).toThrow();
  });

  it('reports an out-of-range index like kubectl', () => {
    expect(() => new JsonPath('{.items[5]}').execute(list)).toThrow(/array index out of bounds: index 5, length 2/);
  });

  it.each([
    ['.metadata.name', '{.metadata.name}'],
    ['metadata.name', '{.metadata.name}'],
    ['{.metadata.name}', '{.metadata.name}'],
    ['.items[0]', '{.items[0]}'],
  ])('relaxes %s', (input, want) => {
    expect(relaxedJsonPath(input)).toBe(want);
  });

  it.each([
    [{ b: 1, a: 'x' }, 'map[a:x b:1]'],
    [['x', 2], '[x 2]'],
    [null, '<nil>'],
    ['s', 's'],
  ])('goValue(%j)', (value, want) => {
    expect(goValue(value)).toBe(want);
  });
});
