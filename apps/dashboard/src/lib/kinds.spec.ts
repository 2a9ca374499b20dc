import { collectionPath, detailHref, kindByName, kindByPlural, objectPath, refHref, splitApiVersion } from './kinds';
import { consoleUrl, parseControl } from './console';
import { logQuery, trimLog } from './logs';
import { problemsFrom } from './problems';
import { TEMPLATES } from './templates';
import { parseYamlDocs } from './yaml-docs';
import { apply } from './actions';

describe('paths', () => {
  it.each([
    [collectionPath(kindByPlural('pods')!), '/api/v1/pods'],
    [collectionPath(kindByPlural('pods')!, 'team a'), '/api/v1/namespaces/team%20a/pods'],
    [collectionPath(kindByPlural('nodes')!, 'ignored'), '/api/v1/nodes'],
    [objectPath(kindByPlural('deployments')!, 'd', 'web', 'scale'), '/apis/apps/v1/namespaces/d/deployments/web/scale'],
    [objectPath(kindByPlural('horizontalpodautoscalers')!, 'd', 'h'), '/apis/autoscaling/v2/namespaces/d/horizontalpodautoscalers/h'],
    [detailHref(kindByPlural('nodes')!, undefined, 'node-1'), '/r/nodes/_/node-1'],
    [detailHref(kindByPlural('pods')!, 'd', 'p'), '/r/pods/d/p'],
    [refHref({ kind: 'ReplicaSet', name: 'rs' }, 'd'), '/r/replicasets/d/rs'],
    [refHref({ kind: 'Gizmo', name: 'g' }, 'd'), undefined],
  ])('%p', (got, want) => expect(got).toBe(want));

  it('kinds by apiVersion', () => {
    expect(splitApiVersion('apps/v1')).toEqual({ group: 'apps', version: 'v1' });
    expect(kindByName('Deployment', 'apps/v1')?.plural).toBe('deployments');
    expect(kindByName('Deployment', 'v1')).toBeUndefined();
    expect(kindByName('Deployment', 'apps/v1beta1')).toBeUndefined();
  });
});

describe('logs and console', () => {
  it.each([
    [{ container: 'app', follow: true, tailLines: 10 }, 'container=app&follow=true&tailLines=10'],
    [{ previous: true }, 'previous=true'],
    [{}, ''],
  ])('logQuery %#', (o, want) => expect(logQuery(o)).toBe(want));
  it('trimLog keeps whole lines of the newest text', () => {
    expect(trimLog('aaa\nbbb\nccc\n', 6)).toBe('ccc\n');
    expect(trimLog('short', 10)).toBe('short');
  });
  it('console URLs follow the page scheme', () => {
    expect(consoleUrl({ protocol: 'http:', host: '127.0.0.1:3000' }, 'default', 'tiny')).toBe('ws://127.0.0.1:3000/api/console/default/tiny');
    expect(consoleUrl({ protocol: 'https:', host: 'x' }, 'a', 'b')).toBe('wss://x/api/console/a/b');
  });
  it.each([
    ['{"type":"error","message":"nope"}', { type: 'error', message: 'nope' }],
    ['{"type":"closed"}', { type: 'closed', message: 'closed' }],
    ['{"type":"other"}', undefined],
    ['hello', undefined],
  ])('parseControl %p', (text, want) => expect(parseControl(text)).toEqual(want));
});

describe('problemsFrom', () => {
  const lineOf = (f: string) => ({ 'spec.replicas': 6, 'metadata.name': 4 })[f] ?? 1;
  it('places each cause at its field', () => {
    expect(problemsFrom({ message: 'invalid', causes: [{ field: 'spec.replicas', message: 'must be ≥ 0' }, { field: 'metadata.name', message: 'bad name' }] }, lineOf)).toEqual([
      { line: 6, field: 'spec.replicas', message: 'must be ≥ 0' },
      { line: 4, field: 'metadata.name', message: 'bad name' },
    ]);
  });
  it('falls back to the document line', () => expect(problemsFrom({ message: 'forbidden' }, lineOf, 15)).toEqual([{ line: 15, message: 'forbidden' }]));
});

describe('templates', () => {
  it.each(Object.keys(TEMPLATES))('%s parses and can be applied', (kind) => {
    const [doc] = parseYamlDocs(TEMPLATES[kind]);
    expect(doc.errors).toEqual([]);
    expect(doc.object?.kind).toBe(kind);
    expect(() => apply(doc.object!, 'default', true)).not.toThrow();
  });
});
