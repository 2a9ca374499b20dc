import { portForwardCommands } from './port-forward';

const pod = (phase: string, ns = 'default') => ({
  metadata: { name: 'web-1', namespace: ns },
  spec: { containers: [{ name: 'a', ports: [{ name: 'http', containerPort: 8080 }, { containerPort: 53, protocol: 'UDP' }] }, { name: 'b', ports: [{ containerPort: 80 }] }] },
  status: { phase },
});
const svc = (spec: object, ns = 'default') => ({ metadata: { name: 'web', namespace: ns }, spec });

describe('portForwardCommands', () => {
  it.each([
    ['a running pod: TCP ports, a privileged one on a local port the CLI picks', 'pods', pod('Running'), [
      ['http 8080/TCP', 'coxctl port-forward -n default pod/web-1 8080:8080'],
      ['80/TCP', 'coxctl port-forward -n default pod/web-1 :80'],
    ]],
    ['a pod in another namespace', 'pods', pod('Running', 'shop'), [
      ['http 8080/TCP', 'coxctl port-forward -n shop pod/web-1 8080:8080'],
      ['80/TCP', 'coxctl port-forward -n shop pod/web-1 :80'],
    ]],
    ['a pod not running', 'pods', pod('Pending'), []],
    ['a Service with a selector', 'services', svc({ selector: { app: 'web' }, ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] }), [['http 80/TCP', 'coxctl port-forward -n default svc/web :80']]],
    ['a selectorless Service', 'services', svc({ ports: [{ port: 80 }] }), []],
    ['an ExternalName Service', 'services', svc({ type: 'ExternalName', externalName: 'example.org', selector: { a: 'b' } }), []],
    ['another kind', 'deployments', svc({}), []],
  ])('%s', (_name, plural, obj, want) => {
    expect(portForwardCommands(plural, obj).map((c) => [c.label, c.command])).toEqual(want);
  });
});
