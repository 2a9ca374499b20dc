import { RESOURCES } from '@coxswain/api';
import { catalog } from '../catalog';
import { classModel } from './class-model';
import { definitions, JsonSchema } from './definitions';
import { groupVersionPath, negotiateOpenApiV2, openApiV2, openApiV2Protobuf, openApiV2Text, openApiV3Doc, openApiV3DocText, openApiV3Index } from './documents';
import { kindDefinitionName, nameTable, packageFor } from './names';

type Doc = { paths: Record<string, Record<string, JsonSchema>>; components: { schemas: Record<string, JsonSchema> } };

const v3 = (path: string): Doc => openApiV3Doc(path) as unknown as Doc;
const schemaOf = (doc: Doc, name: string): JsonSchema => doc.components.schemas[name];

/** Follows `$ref` / single-element `allOf` like kubectl explain does. */
function resolve(doc: Doc, schema: JsonSchema): JsonSchema {
  const ref = (schema.$ref ?? (Array.isArray(schema.allOf) && schema.allOf.length === 1 ? (schema.allOf[0] as JsonSchema).$ref : undefined)) as string | undefined;
  return ref ? { ...schema, ...doc.components.schemas[ref.replace('#/components/schemas/', '')] } : schema;
}

function field(doc: Doc, kindDef: string, path: string[]): JsonSchema {
  let current = schemaOf(doc, kindDef);
  for (const part of path) {
    current = resolve(doc, current);
    if (current.items) current = resolve(doc, current.items as JsonSchema);
    current = (current.properties as Record<string, JsonSchema>)[part];
    if (!current) throw new Error(`no field ${part} on the way to ${path.join('.')}`);
  }
  return current;
}

function refs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refs(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$ref') out.push(v as string);
      else refs(v, out);
    }
  }
  return out;
}

describe('names', () => {
  it.each([
    ['', 'v1', 'io.k8s.api.core.v1'],
    ['apps', 'v1', 'io.k8s.api.apps.v1'],
    ['autoscaling', 'v2', 'io.k8s.api.autoscaling.v2'],
    ['coordination.k8s.io', 'v1', 'io.k8s.api.coordination.v1'],
    ['kubevirt.io', 'v1', 'io.kubevirt.api.v1'],
  ])('packageFor(%s, %s) = %s', (group, version, want) => expect(packageFor(group, version)).toBe(want));

  it('names shared pod pieces in core/v1 and input classes by their Kubernetes names', () => {
    const names = nameTable().entries().map(([n]) => n);
    expect(names).toEqual(
      expect.arrayContaining([
        'io.k8s.api.core.v1.PodTemplateSpec',
        'io.k8s.api.core.v1.Container',
        'io.k8s.api.core.v1.Affinity',
        'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta',
        'io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector',
        'io.k8s.api.core.v1.ObjectReference',
        'io.kubevirt.api.v1.Volume',
        'io.kubevirt.api.v1.ResourceRequirements',
        'io.k8s.api.autoscaling.v1.Scale',
      ]),
    );
    expect(names.filter((n) => /\d$/.test(n))).toEqual([]);
    expect(names.filter((n) => n.endsWith('Fields'))).toEqual([]);
  });

  it('knows every constraint the decorators register', () => {
    for (const [name, cls] of nameTable().entries()) expect([name, classModel(cls).unknownConstraints]).toEqual([name, []]);
  });
});

describe('schemas', () => {
  const core = v3('api/v1');
  const pod = 'io.k8s.api.core.v1.Pod';

  it('gives Pod spec.containers items with required name and Kubernetes merge keys', () => {
    const containers = field(core, pod, ['spec', 'containers']);
    expect(containers).toMatchObject({ type: 'array', 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' });
    const container = resolve(core, containers.items as JsonSchema);
    expect(container.required).toEqual(['name']);
    expect((container.properties as Record<string, JsonSchema>).image).toMatchObject({ type: 'string' });
    expect(resolve(core, schemaOf(core, 'io.k8s.api.core.v1.PodSpec')).required).toEqual(['containers']);
  });

  it.each([
    [['spec', 'containers', 'env'], { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' }],
    [['spec', 'containers', 'volumeMounts'], { 'x-kubernetes-patch-merge-key': 'mountPath', 'x-kubernetes-patch-strategy': 'merge' }],
    [['spec', 'containers', 'ports'], { 'x-kubernetes-patch-merge-key': 'containerPort', 'x-kubernetes-list-map-keys': ['containerPort', 'protocol'], 'x-kubernetes-list-type': 'map' }],
    [['spec', 'volumes'], { 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge,retainKeys' }],
    [['metadata', 'ownerReferences'], { 'x-kubernetes-patch-merge-key': 'uid', 'x-kubernetes-patch-strategy': 'merge' }],
    [['status', 'conditions'], { 'x-kubernetes-patch-merge-key': 'type', 'x-kubernetes-list-type': 'map' }],
  ])('Pod %j has list semantics %j', (path, want) => expect(field(core, pod, path)).toMatchObject(want));

  it.each([
    [['spec', 'restartPolicy'], ['Always', 'OnFailure', 'Never']],
    [['spec', 'containers', 'imagePullPolicy'], ['Always', 'IfNotPresent', 'Never']],
    [['spec', 'containers', 'ports', 'protocol'], ['TCP', 'UDP', 'SCTP']],
    [['spec', 'tolerations', 'effect'], ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute']],
    [['status', 'phase'], ['Pending', 'Running', 'Succeeded', 'Failed', 'Unknown']],
  ])('Pod %j is an enum of %j', (path, values) => expect(field(core, pod, path)).toMatchObject({ type: 'string', enum: values }));

  it('types scalars, maps and timestamps', () => {
    expect(field(core, pod, ['spec', 'terminationGracePeriodSeconds'])).toMatchObject({ type: 'integer' });
    expect(field(core, pod, ['spec', 'hostNetwork'])).toMatchObject({ type: 'boolean' });
    expect(field(core, pod, ['spec', 'nodeSelector'])).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(field(core, pod, ['metadata', 'labels'])).toMatchObject({ type: 'object', additionalProperties: { type: 'string' } });
    expect(field(core, pod, ['metadata', 'creationTimestamp'])).toMatchObject({ type: 'string', format: 'date-time' });
    expect(field(core, pod, ['spec', 'containers', 'args'])).toMatchObject({ type: 'array', items: { type: 'string' } });
    expect(field(core, pod, ['spec', 'volumes', 'emptyDir'])).toMatchObject({ type: 'object', 'x-kubernetes-preserve-unknown-fields': true });
  });

  it('marks quantities and int-or-string fields, directly and on their definitions', () => {
    const requests = field(core, pod, ['spec', 'containers', 'resources', 'requests']);
    expect(requests.type).toBe('object');
    expect(requests.additionalProperties).toMatchObject({ 'x-kubernetes-int-or-string': true, allOf: [{ $ref: '#/components/schemas/io.k8s.apimachinery.pkg.api.resource.Quantity' }] });
    expect(field(core, pod, ['spec', 'containers', 'livenessProbe', 'httpGet', 'port'])).toMatchObject({ 'x-kubernetes-int-or-string': true });
    expect(schemaOf(core, 'io.k8s.apimachinery.pkg.api.resource.Quantity')).toMatchObject({ anyOf: [{ type: 'integer' }, { type: 'string' }], 'x-kubernetes-int-or-string': true });
    const apps = v3('apis/apps/v1');
    expect(field(apps, 'io.k8s.api.apps.v1.Deployment', ['spec', 'strategy', 'rollingUpdate', 'maxSurge'])).toMatchObject({ 'x-kubernetes-int-or-string': true });
    expect(field(apps, 'io.k8s.api.apps.v1.Deployment', ['spec', 'strategy'])).toMatchObject({ 'x-kubernetes-patch-strategy': 'retainKeys' });
  });

  it('describes top-level kinds and their common fields', () => {
    expect(schemaOf(core, pod).description).toMatch(/^Pod is a collection of containers/);
    expect(field(core, pod, ['metadata']).description).toMatch(/Standard object's metadata/);
    expect(schemaOf(v3('apis/kubevirt.io/v1'), 'io.kubevirt.api.v1.VirtualMachine').description).toMatch(/VirtualMachine/);
  });

  it('carries every registry kind and list kind with its GVK', () => {
    for (const r of RESOURCES) {
      const doc = v3(groupVersionPath(r));
      expect(schemaOf(doc, kindDefinitionName(r.group, r.version, r.kind))['x-kubernetes-group-version-kind']).toEqual([{ group: r.group, kind: r.kind, version: r.version }]);
      expect(schemaOf(doc, kindDefinitionName(r.group, r.version, r.listKind))['x-kubernetes-group-version-kind']).toEqual([{ group: r.group, kind: r.listKind, version: r.version }]);
    }
    expect(schemaOf(v3('apis/metrics.k8s.io/v1beta1'), 'io.k8s.metrics.pkg.apis.metrics.v1beta1.PodMetrics')['x-kubernetes-group-version-kind']).toEqual([
      { group: 'metrics.k8s.io', kind: 'PodMetrics', version: 'v1beta1' },
    ]);
  });

  it('describes KubeVirt VMs down to the domain', () => {
    const kv = v3('apis/kubevirt.io/v1');
    const vm = 'io.kubevirt.api.v1.VirtualMachine';
    expect(field(kv, vm, ['spec', 'runStrategy']).enum).toEqual(['Always', 'RerunOnFailure', 'Manual', 'Halted', 'Once']);
    expect(resolve(kv, field(kv, vm, ['spec'])).required).toEqual(['template']);
    expect(field(kv, vm, ['spec', 'template', 'spec', 'domain', 'memory', 'guest'])).toMatchObject({ 'x-kubernetes-int-or-string': true });
    expect(field(kv, vm, ['spec', 'template', 'spec', 'volumes', 'containerDisk', 'image'])).toMatchObject({ type: 'string' });
    expect(field(kv, vm, ['status', 'printableStatus'])).toMatchObject({ type: 'string' });
  });
});

describe('paths', () => {
  const core = v3('api/v1');

  it('has the collection and item paths kubectl explain looks up, with GVKs', () => {
    expect(core.paths['/api/v1/namespaces/{namespace}/pods'].get).toMatchObject({ 'x-kubernetes-action': 'list', 'x-kubernetes-group-version-kind': { group: '', kind: 'Pod', version: 'v1' } });
    expect(core.paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch).toMatchObject({ operationId: 'patchCoreV1NamespacedPod', 'x-kubernetes-action': 'patch' });
    expect(core.paths['/api/v1/nodes/{name}'].get).toMatchObject({ operationId: 'readCoreV1Node' });
    expect(core.paths['/api/v1/pods'].get).toMatchObject({ operationId: 'listCoreV1PodForAllNamespaces' });
    expect(v3('apis/apps/v1').paths['/apis/apps/v1/namespaces/{namespace}/deployments/{name}/scale'].patch).toMatchObject({
      'x-kubernetes-group-version-kind': { group: 'autoscaling', kind: 'Scale', version: 'v1' },
    });
    expect(v3('apis/kubevirt.io/v1').paths['/apis/kubevirt.io/v1/namespaces/{namespace}/virtualmachines/{name}/start'].put).toBeDefined();
    expect(core.paths['/api/v1/namespaces'].delete).toBeUndefined(); // namespaces have no deletecollection
  });

  it('offers fieldValidation on every PATCH, so kubectl --validate=strict defers to the server', () => {
    for (const gv of catalog()) {
      for (const item of Object.values(v3(groupVersionPath(gv)).paths)) {
        const patch = item.patch as JsonSchema | undefined;
        if (patch) expect((patch.parameters as JsonSchema[]).map((p) => [p.name, p.in])).toContainEqual(['fieldValidation', 'query']);
      }
    }
  });

  it('does not advertise strategic merge patch, so kubectl uses its compiled-in merge keys', () => {
    const patch = v3('api/v1').paths['/api/v1/namespaces/{namespace}/pods/{name}'].patch as { requestBody: { content: Record<string, unknown> } };
    expect(Object.keys(patch.requestBody.content)).toEqual(['application/apply-patch+yaml', 'application/json-patch+json', 'application/merge-patch+json']);
    const v2 = openApiV2() as { paths: Record<string, Record<string, { consumes: string[] }>> };
    expect(v2.paths['/apis/kubevirt.io/v1/namespaces/{namespace}/virtualmachines/{name}'].patch.consumes).not.toContain('application/strategic-merge-patch+json');
  });

  it('has a PATCH for every patchable registry kind', () => {
    for (const r of RESOURCES.filter((x) => x.verbs.includes('patch'))) {
      const patches = Object.values(v3(groupVersionPath(r)).paths).filter((item) => (item.patch as JsonSchema | undefined)?.['x-kubernetes-group-version-kind'] !== undefined);
      expect(patches.some((item) => JSON.stringify((item.patch as JsonSchema)['x-kubernetes-group-version-kind']) === JSON.stringify({ group: r.group, kind: r.kind, version: r.version }))).toBe(true);
    }
  });
});

describe('documents', () => {
  it('indexes one v3 document per group/version, with hashes that match their text', () => {
    const index = openApiV3Index();
    expect(Object.keys(index.paths)).toEqual(['api/v1', 'apis/apps/v1', 'apis/autoscaling/v2', 'apis/autoscaling/v1', 'apis/coordination.k8s.io/v1', 'apis/events.k8s.io/v1', 'apis/discovery.k8s.io/v1', 'apis/storage.k8s.io/v1', 'apis/batch/v1', 'apis/policy/v1', 'apis/certificates.k8s.io/v1', 'apis/kubevirt.io/v1', 'apis/cdi.kubevirt.io/v1beta1', 'apis/metrics.k8s.io/v1beta1']);
    for (const [path, { serverRelativeURL }] of Object.entries(index.paths)) {
      const text = openApiV3DocText(path)!;
      expect(serverRelativeURL).toBe(`/openapi/v3/${path}?hash=${text.hash}`);
      expect(text.hash).toMatch(/^[0-9A-F]{128}$/);
      expect(JSON.parse(text.text)).toEqual(openApiV3Doc(path));
    }
  });

  it.each(['api/v1', '/api/v1', '/openapi/v3/api/v1'])('finds the core document as %s', (path) => expect(openApiV3Doc(path)).toBe(openApiV3Doc('api/v1')));

  it.each(['api/v2', 'apis/example.com/v1', 'apis/apps', ''])('has no document for %j', (path) => expect(openApiV3Doc(path)).toBeUndefined());

  it('memoises, and freezes what it shares', () => {
    expect(openApiV3Doc('apis/apps/v1')).toBe(openApiV3Doc('apis/apps/v1'));
    expect(openApiV2()).toBe(openApiV2());
    expect(definitions()).toBe(definitions());
    const doc = v3('apis/apps/v1');
    expect(() => {
      doc.components.schemas['io.k8s.api.apps.v1.Deployment'].description = 'changed';
    }).toThrow(TypeError);
    expect(Object.isFrozen(definitions().get('io.k8s.api.core.v1.PodSpec'))).toBe(true);
    // The registry belongs to libs/api and stays as it was.
    expect(Object.isFrozen(RESOURCES[0])).toBe(false);
  });

  it('resolves every v3 reference within its own document', () => {
    for (const path of Object.keys(openApiV3Index().paths)) {
      const doc = v3(path);
      expect(doc).toMatchObject({ openapi: '3.0.0', info: { title: 'Kubernetes' } });
      for (const ref of refs(doc)) expect([path, ref, doc.components.schemas[ref.replace('#/components/schemas/', '')] !== undefined]).toEqual([path, ref, true]);
    }
  });

  it('builds a Swagger 2.0 document with every definition and resolvable references', () => {
    const doc = openApiV2() as { swagger: string; definitions: Record<string, JsonSchema>; paths: Record<string, unknown> };
    expect(doc.swagger).toBe('2.0');
    for (const name of ['io.k8s.api.core.v1.Pod', 'io.kubevirt.api.v1.VirtualMachine', 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta', 'io.k8s.api.apps.v1.Deployment']) {
      expect(doc.definitions[name]).toBeDefined();
    }
    for (const ref of refs(doc)) expect([ref, doc.definitions[ref.replace('#/definitions/', '')] !== undefined]).toEqual([ref, true]);
    // Swagger 2.0 has no anyOf: int-or-string is a string format there.
    expect(doc.definitions['io.k8s.apimachinery.pkg.util.intstr.IntOrString']).toMatchObject({ type: 'string', format: 'int-or-string' });
    expect(JSON.stringify(doc)).not.toContain('"anyOf"');
    expect(JSON.stringify(doc)).not.toContain('"allOf"');
    expect(doc.paths['/api/v1/namespaces/{namespace}/pods/{name}']).toBeDefined();
    expect(JSON.parse(openApiV2Text().text)).toEqual(doc);
  });

  it.each([
    ['kubectl', 'application/com.github.proto-openapi.spec.v2@v1.0+protobuf', { format: 'protobuf', contentType: 'application/octet-stream' }],
    ['kubectl fallback', 'application/json, */*', { format: 'json', contentType: 'application/json' }],
    ['none', undefined, { format: 'json', contentType: 'application/json' }],
    ['yaml only', 'application/yaml', undefined],
  ])('negotiates /openapi/v2 for %s', (_name, accept, want) => expect(negotiateOpenApiV2(accept)).toEqual(want));
});

/** A minimal protobuf reader: enough to walk gnostic messages by field number. */
function readFields(buf: Buffer): Array<{ field: number; wire: number; value: Buffer | number }> {
  const out: Array<{ field: number; wire: number; value: Buffer | number }> = [];
  let pos = 0;
  const varint = (): number => {
    let result = 0;
    let shift = 1;
    for (;;) {
      const b = buf[pos++];
      result += (b & 0x7f) * shift;
      if (b < 0x80) return result;
      shift *= 128;
    }
  };
  while (pos < buf.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) out.push({ field, wire, value: varint() });
    else if (wire === 2) {
      const len = varint();
      out.push({ field, wire, value: buf.subarray(pos, pos + len) });
      pos += len;
    } else if (wire === 1) {
      out.push({ field, wire, value: buf.readDoubleLE(pos) });
      pos += 8;
    } else throw new Error(`unexpected wire type ${wire}`);
  }
  return out;
}

const get = (buf: Buffer, field: number): Buffer[] => readFields(buf).filter((f) => f.field === field).map((f) => f.value as Buffer);
const text = (buf: Buffer, field: number): string | undefined => get(buf, field)[0]?.toString('utf8');

describe('openApiV2Protobuf', () => {
  const doc = openApiV2Protobuf();

  it('encodes the document header and every definition and path', () => {
    expect(text(doc, 1)).toBe('2.0');
    const info = get(doc, 2)[0];
    expect([text(info, 1), text(info, 2)]).toEqual(['Kubernetes', 'v1.30.0-coxswain']);
    const defNames = get(get(doc, 9)[0], 1).map((named) => text(named, 1));
    expect(defNames).toEqual(Object.keys((openApiV2() as { definitions: object }).definitions));
    const pathNames = get(get(doc, 8)[0], 2).map((named) => text(named, 1));
    expect(pathNames).toEqual(Object.keys((openApiV2() as { paths: object }).paths));
  });

  it('encodes a schema with properties, required, type, enum and extensions', () => {
    const named = get(get(doc, 9)[0], 1).find((n) => text(n, 1) === 'io.k8s.api.core.v1.PodSpec')!;
    const schema = get(named, 2)[0];
    expect(get(schema, 19).map((b) => b.toString())).toEqual(['containers']);
    expect(get(get(schema, 22)[0], 1).map((b) => b.toString())).toEqual(['object']);
    const props = get(get(schema, 25)[0], 1);
    const prop = (name: string): Buffer => get(props.find((p) => text(p, 1) === name)!, 2)[0];
    expect(get(prop('restartPolicy'), 20).map((any) => JSON.parse(text(any, 2)!))).toEqual(['Always', 'OnFailure', 'Never']);
    const containers = prop('containers');
    const ext = Object.fromEntries(get(containers, 31).map((n) => [text(n, 1), JSON.parse(text(get(n, 2)[0], 2)!)]));
    expect(ext).toEqual({ 'x-kubernetes-patch-merge-key': 'name', 'x-kubernetes-patch-strategy': 'merge' });
    const items = get(get(containers, 23)[0], 1)[0];
    expect(text(items, 1)).toBe('#/definitions/io.k8s.api.core.v1.Container');
  });

  it('encodes the GVK on kinds for kubectl to find them', () => {
    const named = get(get(doc, 9)[0], 1).find((n) => text(n, 1) === 'io.kubevirt.api.v1.VirtualMachine')!;
    const ext = get(get(named, 2)[0], 31).map((n) => [text(n, 1), JSON.parse(text(get(n, 2)[0], 2)!)]);
    expect(ext).toEqual([['x-kubernetes-group-version-kind', [{ group: 'kubevirt.io', kind: 'VirtualMachine', version: 'v1' }]]]);
  });

  it('encodes query parameters as non-body parameters', () => {
    const item = get(get(get(doc, 8)[0], 2).find((n) => text(n, 1) === '/api/v1/namespaces/{namespace}/pods/{name}')!, 2)[0];
    const patch = get(item, 8)[0];
    expect(text(patch, 5)).toBe('patchCoreV1NamespacedPod');
    const names = get(patch, 8).map((paramsItem) => {
      const parameter = get(paramsItem, 1)[0];
      const body = get(parameter, 1)[0];
      if (body) return `body:${text(body, 2)}`;
      const query = get(get(parameter, 2)[0], 3)[0];
      return `query:${text(query, 4)}`;
    });
    expect(names).toEqual(['body:body', 'query:dryRun', 'query:fieldManager', 'query:fieldValidation', 'query:force']);
  });
});
