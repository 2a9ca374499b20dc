import { envFromServices, ServiceForEnv, serviceEnvFor, servicesForPod } from './service-env';

const svc = (namespace: string, name: string, clusterIP: string, ports: Array<{ name?: string; port: number; protocol?: string }> = [{ port: 80, protocol: 'TCP' }]): ServiceForEnv =>
  ({ metadata: { name, namespace }, spec: { clusterIP, ports } });

// Kubernetes' pkg/kubelet/envvars/envvars_test.go TestFromServices, service for service.
describe('envFromServices (Kubernetes TestFromServices)', () => {
  const services = [
    svc('ns', 'foo-bar', '1.2.3.4', [{ port: 8080, protocol: 'TCP' }]),
    svc('ns', 'abc-123', '5.6.7.8', [{ name: 'u-d-p', port: 8081, protocol: 'UDP' }, { name: 't-c-p', port: 8081, protocol: 'TCP' }]),
    svc('ns', 'q-u-u-x', '9.8.7.6', [{ port: 8082, protocol: 'TCP' }, { name: '8083', port: 8083, protocol: 'TCP' }]),
    svc('ns', 'svrc-clusterip-none', 'None', [{ port: 8082, protocol: 'TCP' }]),
    svc('ns', 'svrc-clusterip-empty', '', [{ port: 8082, protocol: 'TCP' }]),
    svc('ns', 'super-ipv6', '2001:DB8::', [{ name: 'u-d-p', port: 8084, protocol: 'UDP' }, { name: 't-c-p', port: 8084, protocol: 'TCP' }]),
    svc('ns', 'sctp-1', '1.2.3.4', [{ name: 's-c-t-p', port: 7777, protocol: 'SCTP' }]),
  ];
  it('gives the variables in Kubernetes\' order and values', () => {
    expect(envFromServices(services)).toEqual([
      ['FOO_BAR_SERVICE_HOST', '1.2.3.4'],
      ['FOO_BAR_SERVICE_PORT', '8080'],
      ['FOO_BAR_PORT', 'tcp://1.2.3.4:8080'],
      ['FOO_BAR_PORT_8080_TCP', 'tcp://1.2.3.4:8080'],
      ['FOO_BAR_PORT_8080_TCP_PROTO', 'tcp'],
      ['FOO_BAR_PORT_8080_TCP_PORT', '8080'],
      ['FOO_BAR_PORT_8080_TCP_ADDR', '1.2.3.4'],
      ['ABC_123_SERVICE_HOST', '5.6.7.8'],
      ['ABC_123_SERVICE_PORT', '8081'],
      ['ABC_123_SERVICE_PORT_U_D_P', '8081'],
      ['ABC_123_SERVICE_PORT_T_C_P', '8081'],
      ['ABC_123_PORT', 'udp://5.6.7.8:8081'],
      ['ABC_123_PORT_8081_UDP', 'udp://5.6.7.8:8081'],
      ['ABC_123_PORT_8081_UDP_PROTO', 'udp'],
      ['ABC_123_PORT_8081_UDP_PORT', '8081'],
      ['ABC_123_PORT_8081_UDP_ADDR', '5.6.7.8'],
      ['ABC_123_PORT_8081_TCP', 'tcp://5.6.7.8:8081'],
      ['ABC_123_PORT_8081_TCP_PROTO', 'tcp'],
      ['ABC_123_PORT_8081_TCP_PORT', '8081'],
      ['ABC_123_PORT_8081_TCP_ADDR', '5.6.7.8'],
      ['Q_U_U_X_SERVICE_HOST', '9.8.7.6'],
      ['Q_U_U_X_SERVICE_PORT', '8082'],
      ['Q_U_U_X_SERVICE_PORT_8083', '8083'],
      ['Q_U_U_X_PORT', 'tcp://9.8.7.6:8082'],
      ['Q_U_U_X_PORT_8082_TCP', 'tcp://9.8.7.6:8082'],
      ['Q_U_U_X_PORT_8082_TCP_PROTO', 'tcp'],
      ['Q_U_U_X_PORT_8082_TCP_PORT', '8082'],
      ['Q_U_U_X_PORT_8082_TCP_ADDR', '9.8.7.6'],
      ['Q_U_U_X_PORT_8083_TCP', 'tcp://9.8.7.6:8083'],
      ['Q_U_U_X_PORT_8083_TCP_PROTO', 'tcp'],
      ['Q_U_U_X_PORT_8083_TCP_PORT', '8083'],
      ['Q_U_U_X_PORT_8083_TCP_ADDR', '9.8.7.6'],
      ['SUPER_IPV6_SERVICE_HOST', '2001:DB8::'],
      ['SUPER_IPV6_SERVICE_PORT', '8084'],
      ['SUPER_IPV6_SERVICE_PORT_U_D_P', '8084'],
      ['SUPER_IPV6_SERVICE_PORT_T_C_P', '8084'],
      ['SUPER_IPV6_PORT', 'udp://[2001:DB8::]:8084'],
      ['SUPER_IPV6_PORT_8084_UDP', 'udp://[2001:DB8::]:8084'],
      ['SUPER_IPV6_PORT_8084_UDP_PROTO', 'udp'],
      ['SUPER_IPV6_PORT_8084_UDP_PORT', '8084'],
      ['SUPER_IPV6_PORT_8084_UDP_ADDR', '2001:DB8::'],
      ['SUPER_IPV6_PORT_8084_TCP', 'tcp://[2001:DB8::]:8084'],
      ['SUPER_IPV6_PORT_8084_TCP_PROTO', 'tcp'],
      ['SUPER_IPV6_PORT_8084_TCP_PORT', '8084'],
      ['SUPER_IPV6_PORT_8084_TCP_ADDR', '2001:DB8::'],
      ['SCTP_1_SERVICE_HOST', '1.2.3.4'],
      ['SCTP_1_SERVICE_PORT', '7777'],
      ['SCTP_1_SERVICE_PORT_S_C_T_P', '7777'],
      ['SCTP_1_PORT', 'sctp://1.2.3.4:7777'],
      ['SCTP_1_PORT_7777_SCTP', 'sctp://1.2.3.4:7777'],
      ['SCTP_1_PORT_7777_SCTP_PROTO', 'sctp'],
      ['SCTP_1_PORT_7777_SCTP_PORT', '7777'],
      ['SCTP_1_PORT_7777_SCTP_ADDR', '1.2.3.4'],
    ]);
  });
});

// The kubelet's TestMakeEnvironmentVariables service cases: which Services a pod sees.
describe('servicesForPod', () => {
  const master = svc('default', 'kubernetes', '10.96.0.1', [{ name: 'https', port: 443 }]);
  const all = [
    master,
    svc('test1', 'kubernetes', '1.2.3.6'),
    svc('test1', 'test', '1.2.3.3'),
    svc('test1', 'headless', 'None'),
    svc('test2', 'other', '1.2.3.5'),
    svc('default', 'not-master', '1.2.3.7'),
    { metadata: { namespace: 'test1', name: 'external' }, spec: { ports: [{ port: 80 }] } },
  ];
  const names = (list: ServiceForEnv[]) => list.map((s) => `${s.metadata.namespace}/${s.metadata.name}`).sort();
  it.each<[string, string, boolean, string[]]>([
    ['links on: own namespace with cluster IP, its kubernetes replacing the master one', 'test1', true, ['test1/kubernetes', 'test1/test']],
    ['links off: only the master service', 'test1', false, ['default/kubernetes']],
    ['links on, no local services', 'empty', true, ['default/kubernetes']],
    ['default namespace, links on: everything there', 'default', true, ['default/kubernetes', 'default/not-master']],
    ['default namespace, links off: the master service only', 'default', false, ['default/kubernetes']],
  ])('%s', (_name, namespace, links, want) => {
    expect(names(servicesForPod(all, namespace, links))).toEqual(want);
  });

  it('the master service is kept when enableServiceLinks is false', () => {
    expect(Object.fromEntries(serviceEnvFor(all, 'test2', false))).toEqual({
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      KUBERNETES_SERVICE_PORT: '443',
      KUBERNETES_SERVICE_PORT_HTTPS: '443',
      KUBERNETES_PORT: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP: 'tcp://10.96.0.1:443',
      KUBERNETES_PORT_443_TCP_PROTO: 'tcp',
      KUBERNETES_PORT_443_TCP_PORT: '443',
      KUBERNETES_PORT_443_TCP_ADDR: '10.96.0.1',
    });
  });
});
