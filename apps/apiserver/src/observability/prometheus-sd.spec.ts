import { endpointSliceGroups, nodeGroups, podGroups, sanitizeLabelName, serviceGroups, targetGroups } from './prometheus-sd';

const node = {
  metadata: { name: 'n1', labels: { 'kubernetes.io/hostname': 'n1' }, annotations: { 'a.b/c': 'd' } },
  status: {
    addresses: [
      { type: 'Hostname', address: 'host-1' },
      { type: 'InternalIP', address: '10.0.0.2' },
      { type: 'InternalIP', address: '10.0.0.3' },
    ],
    daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
  },
};
const pod = {
  metadata: { name: 'web-1', namespace: 'ns', uid: 'u1', labels: { app: 'web' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web', controller: true }] },
  spec: { nodeName: 'n1', containers: [{ name: 'app', image: 'nginx', ports: [{ name: 'http', containerPort: 8080 }] }, { name: 'side', image: 'busybox' }] },
  status: { podIP: '10.1.0.5', hostIP: '10.0.0.2', phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
};
const svc = { metadata: { name: 'web', namespace: 'ns', labels: { tier: 'front' } }, spec: { type: 'ClusterIP', clusterIP: '10.96.0.9', ports: [{ name: 'http', port: 80, protocol: 'TCP' }] } };
const slice = {
  metadata: { name: 'web-abc', namespace: 'ns', labels: { 'kubernetes.io/service-name': 'web' } },
  addressType: 'IPv4',
  endpoints: [{ addresses: ['10.1.0.5'], conditions: { ready: true }, nodeName: 'n1', targetRef: { kind: 'Pod', name: 'web-1', namespace: 'ns' } }],
  ports: [{ name: 'http', port: 8080, protocol: 'TCP' }],
};

describe('kubernetes_sd target groups over http_sd', () => {
  it.each([
    ['app.kubernetes.io/name', 'app_kubernetes_io_name'],
    ['plain_1', 'plain_1'],
  ])('sanitizes label name %s', (input, want) => expect(sanitizeLabelName(input)).toBe(want));

  it('node: the first InternalIP with the kubelet port, instance = node name, meta labels', () => {
    const [g] = nodeGroups([node]);
    expect(g.targets).toEqual(['10.0.0.2:10250']);
    expect(g.labels).toMatchObject({
      instance: 'n1',
      __meta_kubernetes_node_name: 'n1',
      __meta_kubernetes_node_address_InternalIP: '10.0.0.2',
      __meta_kubernetes_node_address_Hostname: 'host-1',
      __meta_kubernetes_node_label_kubernetes_io_hostname: 'n1',
      __meta_kubernetes_node_labelpresent_kubernetes_io_hostname: 'true',
      __meta_kubernetes_node_annotation_a_b_c: 'd',
    });
  });

  it('node without addresses gives no target', () => expect(nodeGroups([{ metadata: { name: 'x' } }])).toEqual([]));

  it('pod: one target per container port, a port-less target per container without ports', () => {
    const groups = podGroups([pod]);
    expect(groups.map((g) => g.targets[0])).toEqual(['10.1.0.5:8080', '10.1.0.5']);
    expect(groups[0].labels).toMatchObject({
      __meta_kubernetes_namespace: 'ns',
      __meta_kubernetes_pod_name: 'web-1',
      __meta_kubernetes_pod_ready: 'true',
      __meta_kubernetes_pod_phase: 'Running',
      __meta_kubernetes_pod_controller_kind: 'ReplicaSet',
      __meta_kubernetes_pod_container_port_name: 'http',
      __meta_kubernetes_pod_container_port_number: '8080',
      __meta_kubernetes_pod_container_port_protocol: 'TCP',
      __meta_kubernetes_pod_label_app: 'web',
    });
    expect(groups[1].labels.__meta_kubernetes_pod_container_name).toBe('side');
  });

  it('pod without an IP yet gives no target', () => expect(podGroups([{ ...pod, status: { phase: 'Pending' } }])).toEqual([]));

  it('service: <name>.<ns>.svc:<port> per port', () => {
    const [g] = serviceGroups([svc]);
    expect(g.targets).toEqual(['web.ns.svc:80']);
    expect(g.labels).toMatchObject({ __meta_kubernetes_service_name: 'web', __meta_kubernetes_service_cluster_ip: '10.96.0.9', __meta_kubernetes_service_port_name: 'http', __meta_kubernetes_service_label_tier: 'front' });
  });

  it('endpointslice: address:port with the Service and Pod labels joined in', () => {
    const [g] = endpointSliceGroups([slice], [svc], [pod]);
    expect(g.targets).toEqual(['10.1.0.5:8080']);
    expect(g.labels).toMatchObject({
      __meta_kubernetes_endpointslice_name: 'web-abc',
      __meta_kubernetes_endpointslice_port: '8080',
      __meta_kubernetes_endpointslice_endpoint_conditions_ready: 'true',
      __meta_kubernetes_endpointslice_address_target_kind: 'Pod',
      __meta_kubernetes_service_name: 'web',
      __meta_kubernetes_pod_name: 'web-1',
      __meta_kubernetes_pod_container_name: 'app',
    });
  });

  it('targetGroups keeps only targets and labels (the http_sd shape)', () => {
    expect(Object.keys(targetGroups('node', { nodes: [node], pods: [], services: [], endpointslices: [] })[0]).sort()).toEqual(['labels', 'targets']);
  });
});
