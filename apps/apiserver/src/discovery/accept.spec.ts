import { negotiateTable, parseAccept } from './accept';

describe('parseAccept', () => {
  it('orders by q then by position and keeps case-sensitive parameter values', () => {
    const ranges = parseAccept('text/plain;q=0.5, application/json;as=Table;v=v1;g=meta.k8s.io, application/yaml;q=0.9, */*;q=0');
    expect(ranges.map((r) => `${r.type}/${r.subtype}`)).toEqual(['application/json', 'application/yaml', 'text/plain']);
    expect(ranges[0].params).toEqual({ as: 'Table', v: 'v1', g: 'meta.k8s.io' });
    expect(ranges[1].q).toBe(0.9);
  });

  it('treats a missing or empty header as */*', () => {
    expect(parseAccept(undefined)).toEqual([{ type: '*', subtype: '*', params: {}, q: 1 }]);
    expect(parseAccept('  ')).toEqual([{ type: '*', subtype: '*', params: {}, q: 1 }]);
  });

  it('skips malformed ranges and unquotes values', () => {
    expect(parseAccept('garbage, application/json;profile="x y"')).toEqual([{ type: 'application', subtype: 'json', params: { profile: 'x y' }, q: 1 }]);
  });
});

describe('negotiateTable', () => {
  it.each([
    ['kubectl get', 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json;as=Table;v=v1beta1;g=meta.k8s.io,application/json', { version: 'v1' }],
    ['v1beta1 only', 'application/json;as=Table;v=v1beta1;g=meta.k8s.io, application/json', { version: 'v1beta1' }],
    ['plain JSON first', 'application/json, application/json;as=Table;v=v1;g=meta.k8s.io', undefined],
    ['plain JSON', 'application/json', undefined],
    ['no header', undefined, undefined],
    ['wrong group', 'application/json;as=Table;v=v1;g=example.com', undefined],
    ['Table preferred by q', 'application/json;q=0.5, application/json;as=Table;v=v1;g=meta.k8s.io', { version: 'v1' }],
  ])('%s', (_name, accept, want) => expect(negotiateTable(accept)).toEqual(want));
});
