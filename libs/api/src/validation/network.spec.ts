import { applyDefaults } from '../defaults/defaults';
import { KubeObject } from '../meta/types';
import { validateObject } from './validate';
import { validateUpdate } from './update';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const service = (spec: Obj = {}, name = 'web'): Obj => ({
  apiVersion: 'v1',
  kind: 'Service',
  metadata: { name, namespace: 'default' },
  spec: { selector: { app: 'web' }, ports: [{ port: 80 }], ...spec },
});

const slice = (fields: Obj = {}): Obj => ({
  apiVersion: 'discovery.k8s.io/v1',
  kind: 'EndpointSlice',
  metadata: { name: 'web-abc', namespace: 'default', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.244.1.5'], conditions: { ready: true } }],
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
  ...fields,
});

const causesOf = (obj: Obj) => validateObject(applyDefaults(obj as KubeObject)).causes.map((c) => `${c.field} ${c.reason}: ${c.message}`);

describe('Service defaults', () => {
  it('fills what Kubernetes returns for a ClusterIP Service', () => {
    const out = applyDefaults(service({ ports: [{ name: 'http', port: 80 }] }) as KubeObject) as Obj;
    expect(out.spec).toEqual({
      selector: { app: 'web' },
      ports: [{ name: 'http', port: 80, protocol: 'TCP', targetPort: 80 }],
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ipFamilyPolicy: 'SingleStack',
      ipFamilies: ['IPv4'],
      internalTrafficPolicy: 'Cluster',
    });
    expect(out.status).toEqual({ loadBalancer: {} });
  });

  it.each([
    ['NodePort gets externalTrafficPolicy', { type: 'NodePort' }, (s: Obj) => s.externalTrafficPolicy, 'Cluster'],
    ['ClusterIP with external IPs gets externalTrafficPolicy', { externalIPs: ['192.0.2.10'] }, (s: Obj) => s.externalTrafficPolicy, 'Cluster'],
    ['a plain ClusterIP gets none', {}, (s: Obj) => s.externalTrafficPolicy, undefined],
    ['internalTrafficPolicy Local is kept', { internalTrafficPolicy: 'Local' }, (s: Obj) => s.internalTrafficPolicy, 'Local'],
    ['ClientIP affinity gets a 3 hour timeout', { sessionAffinity: 'ClientIP' }, (s: Obj) => s.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } }],
    ['a named targetPort stays a name', { ports: [{ port: 80, targetPort: 'http' }] }, (s: Obj) => s.ports[0].targetPort, 'http'],
    ['clusterIP fills clusterIPs', { clusterIP: '10.96.0.10' }, (s: Obj) => s.clusterIPs, ['10.96.0.10']],
    ['headless stays headless', { clusterIP: 'None' }, (s: Obj) => [s.clusterIP, s.clusterIPs], ['None', ['None']]],
  ])('%s', (_name, spec, pick, want) => {
    expect(pick((applyDefaults(service(spec) as KubeObject) as Obj).spec)).toEqual(want);
  });
});

describe('Service validation', () => {
  it.each([
    ['a plain ClusterIP Service', service(), []],
    ['headless without ports', service({ clusterIP: 'None', ports: undefined }), []],
    ['no ports', service({ ports: [] }), ['spec.ports FieldValueRequired: Required value']],
    ['two ports, one unnamed', service({ ports: [{ name: 'a', port: 80 }, { port: 81 }] }), ['spec.ports[1].name FieldValueRequired: Required value']],
    ['duplicate port names', service({ ports: [{ name: 'a', port: 80 }, { name: 'a', port: 81 }] }), ['spec.ports[1].name FieldValueDuplicate: Duplicate value: "a"']],
    ['port out of range', service({ ports: [{ port: 70000, targetPort: 80 }] }), ['spec.ports[0].port FieldValueInvalid: Invalid value: 70000: must be between 1 and 65535, inclusive']],
    ['nodePort on ClusterIP', service({ ports: [{ port: 80, nodePort: 30080 }] }), ["spec.ports[0].nodePort FieldValueForbidden: Forbidden: may not be used when `type` is 'ClusterIP'"]],
    ['nodePort on NodePort', service({ type: 'NodePort', ports: [{ port: 80, nodePort: 30080 }] }), []],
    ['headless NodePort', service({ type: 'NodePort', clusterIP: 'None' }), ["spec.clusterIPs[0] FieldValueInvalid: Invalid value: \"None\": may not be set to 'None' for NodePort services"]],
    ['bad clusterIP', service({ clusterIP: '10.96.0.300' }), ['spec.clusterIPs[0] FieldValueInvalid: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)']],
    ['affinity timeout too long', service({ sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 90000 } } }), ['spec.sessionAffinityConfig.clientIP.timeoutSeconds FieldValueInvalid: Invalid value: 90000: must be greater than 0 and less than 86400']],
    ['unknown type', service({ type: 'Magic' }), ['spec.type FieldValueNotSupported: Unsupported value: "Magic": supported values: "ClusterIP", "NodePort", "LoadBalancer", "ExternalName"']],
    ['internalTrafficPolicy Local', service({ internalTrafficPolicy: 'Local' }), []],
    ['internalTrafficPolicy unknown', service({ internalTrafficPolicy: 'Nearby' }), ['spec.internalTrafficPolicy FieldValueNotSupported: Unsupported value: "Nearby": supported values: "Cluster", "Local"']],
    ['externalTrafficPolicy Local on a NodePort', service({ type: 'NodePort', externalTrafficPolicy: 'Local' }), []],
    ['externalTrafficPolicy Local on a ClusterIP with external IPs', service({ externalIPs: ['192.0.2.10'], externalTrafficPolicy: 'Local' }), []],
    ['externalTrafficPolicy on a plain ClusterIP', service({ externalTrafficPolicy: 'Local' }), ['spec.externalTrafficPolicy FieldValueInvalid: Invalid value: "Local": may only be set for externally-accessible services']],
    ['healthCheckNodePort on a NodePort', service({ type: 'NodePort', externalTrafficPolicy: 'Local', healthCheckNodePort: 31000 }), ["spec.healthCheckNodePort FieldValueInvalid: Invalid value: 31000: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"]],
    ['LoadBalancer with externalTrafficPolicy Local (no health checks served)', service({ type: 'LoadBalancer', externalTrafficPolicy: 'Local' }), ["spec.externalTrafficPolicy FieldValueInvalid: Invalid value: \"Local\": not supported for `type` 'LoadBalancer' (no load-balancer health checks are served); use `type` 'NodePort' with 'Local', or 'Cluster'"]],
    ['bad named targetPort', service({ ports: [{ port: 80, targetPort: 'Not_A_Name' }] }), ['spec.ports[0].targetPort FieldValueInvalid: Invalid value: "Not_A_Name": must be a port number between 1 and 65535 or a valid port name']],
  ])('%s', (_name, obj, want) => {
    expect(causesOf(obj)).toEqual(want);
  });

  it('rejects a name that does not start with a letter (DNS-1035)', () => {
    expect(causesOf(service({}, '1web'))[0]).toMatch(/^metadata.name FieldValueInvalid: .*DNS-1035 label/);
  });

  it('keeps clusterIP immutable on update', () => {
    const before = applyDefaults(service({ clusterIP: '10.96.0.10' }) as KubeObject);
    const after = applyDefaults(service({ clusterIP: '10.96.0.11' }) as KubeObject);
    expect(validateUpdate(before, after).map((c) => c.field)).toEqual(['spec.clusterIPs[0]']);
    expect(validateUpdate(before, applyDefaults(service({ clusterIP: '10.96.0.10', type: 'NodePort' }) as KubeObject))).toEqual([]);
  });
});

describe('EndpointSlice validation', () => {
  it.each([
    ['a valid slice', slice(), []],
    ['no address type', slice({ addressType: undefined }), ['addressType FieldValueRequired: Required value']],
    ['IPv6 address in an IPv4 slice', slice({ endpoints: [{ addresses: ['fd00::1'] }] }), ['endpoints[0].addresses[0] FieldValueInvalid: Invalid value: "fd00::1": must be a valid IPv4 address']],
    ['an endpoint without addresses', slice({ endpoints: [{ addresses: [] }] }), ['endpoints[0].addresses FieldValueRequired: Required value: must contain at least 1 address']],
    ['duplicate port names', slice({ ports: [{ name: 'a', port: 1 }, { name: 'a', port: 2 }] }), ['ports[1].name FieldValueDuplicate: Duplicate value: "a"']],
  ])('%s', (_name, obj, want) => {
    expect(causesOf(obj)).toEqual(want);
  });

  it('defaults port protocol to TCP', () => {
    expect((applyDefaults(slice({ ports: [{ port: 80 }] }) as KubeObject) as Obj).ports).toEqual([{ port: 80, protocol: 'TCP', name: '' }]);
  });
});
