import { KINDS as SERVED } from '@coxswain/api/browser';
import { collectionPath, detailHref, kindByName, kindByPlural, KINDS, NAV_SECTIONS, objectPath, refHref, titleOf } from './kinds';
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
    expect(kindByName('Deployment', 'apps/v1')?.plural).toBe('deployments');
    expect(kindByName('Deployment', 'v1')).toBeUndefined();
    expect(kindByName('Deployment', 'apps/v1beta1')).toBeUndefined();
    expect(collectionPath(kindByName('HorizontalPodAutoscaler', 'autoscaling/v1')!, 'd')).toBe('/apis/autoscaling/v1/namespaces/d/horizontalpodautoscalers');
  });
});

describe('kinds from the registry', () => {
  it('lists every resource libs/api serves, once, at its preferred version', () => {
    const plurals = [...new Set(SERVED.filter((k) => k.verbs.includes('list')).map((k) => k.plural))];
    expect(KINDS.map((k) => k.plural).sort()).toEqual(plurals.sort());
    expect(kindByPlural('horizontalpodautoscalers')?.version).toBe('v2');
    expect(NAV_SECTIONS.flatMap((s) => s.kinds).length).toBe(KINDS.length);
  });

  it.each([
    ['services', 'Network'],
    ['endpointslices', 'Network'],
    ['configmaps', 'Config and storage'],
    ['secrets', 'Config and storage'],
    ['jobs', 'Workloads'],
    ['cronjobs', 'Workloads'],
    ['daemonsets', 'Workloads'],
    ['statefulsets', 'Workloads'],
    ['nodes', 'Cluster'],
    ['poddisruptionbudgets', 'Cluster'],
  ])('%s is under %s', (plural, section) => {
    expect(NAV_SECTIONS.find((s) => s.kinds.some((k) => k.plural === plural))?.title).toBe(section);
  });

  it.each([
    [{ kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets' }, 'Pod disruption budgets'],
    [{ kind: 'StorageClass', plural: 'storageclasses' }, 'Storage classes'],
    [{ kind: 'NetworkPolicy', plural: 'networkpolicies' }, 'Network policies'],
    [{ kind: 'CertificateSigningRequest', plural: 'certificatesigningrequests' }, 'Certificate signing requests'],
    [{ kind: 'VirtualMachine', plural: 'virtualmachines' }, 'Virtual machines'],
    [{ kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers' }, 'Autoscalers'],
    [{ kind: 'Endpoints', plural: 'endpoints' }, 'Endpoints'],
  ])('titleOf %p', (k, want) => expect(titleOf(k)).toBe(want));
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
