import { CliError } from '../errors';
import { Obj } from '../types';
import { parsePortPairs, servicePortsToPodPorts } from './port-forward-target';

const service: Obj = {
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    selector: { app: 'web' },
    clusterIP: '10.96.0.10',
    ports: [
      { name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' },
      { name: 'metrics', port: 9090, targetPort: 'prom', protocol: 'TCP' },
      { name: 'same', port: 7000 },
    ],
  },
};
const pod: Obj = { metadata: { name: 'web-1' }, spec: { containers: [{ name: 'app', ports: [{ name: 'prom', containerPort: 9102 }] }] } };

const outcome = (fn: () => unknown) => {
  try {
    return fn();
  } catch (error) {
    return (error as CliError).message;
  }
};

describe('parsePortPairs', () => {
  it.each([
    [['8080'], [{ local: 8080, remote: 8080 }]],
    [[':8080'], [{ local: 0, remote: 8080 }]],
    [['9000:80', '5000'], [{ local: 9000, remote: 80 }, { local: 5000, remote: 5000 }]],
    [[], 'at least 1 PORT is required for port-forward'],
    [['a:b:c'], "invalid port format 'a:b:c'"],
    [['80:http'], "Error parsing remote port 'http': invalid port"],
    [['70000'], "Error parsing remote port '70000': invalid port"],
  ])('%j', (specs, want) => expect(outcome(() => parsePortPairs(specs))).toEqual(want));
});

describe('servicePortsToPodPorts', () => {
  it.each([
    ['service port to its numeric targetPort', ['80'], ['80:8080']],
    ['keeps the local port given', ['5000:80'], ['5000:8080']],
    ['any local port', [':80'], [':8080']],
    ['a named service port', ['http'], ['80:8080']],
    ['a named targetPort looked up in the pod', ['9090'], ['9090:9102']],
    ['a port without targetPort targets itself', ['7000'], ['7000']],
  ])('%s', (_name, specs, want) => expect(servicePortsToPodPorts(service, pod, specs)).toEqual(want));

  it.each([
    [['81'], 'Service web does not have a service port 81'],
    [['nope'], "Service 'web' does not have a named port 'nope'"],
  ])('refuses %j', (specs, want) => expect(outcome(() => servicePortsToPodPorts(service, pod, specs))).toBe(want));

  it('says which pod lacks a named port', () => {
    expect(outcome(() => servicePortsToPodPorts(service, { metadata: { name: 'bare' }, spec: { containers: [{ name: 'x' }] } }, ['9090']))).toBe("Pod 'bare' does not have a named port 'prom'");
  });

  it('headless services forward to the same port', () => {
    expect(servicePortsToPodPorts({ ...service, spec: { ...service.spec, clusterIP: 'None' } }, pod, ['80'])).toEqual(['80']);
  });
});
