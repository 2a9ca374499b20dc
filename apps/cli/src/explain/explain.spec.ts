import { expectGolden } from '../testing/golden';
import { findKindSchema, renderExplain, schemasOf, typeName, wrap } from './explain';

// A trimmed OpenAPI v3 document in the shape the API server publishes.
const doc = schemasOf({
  components: {
    schemas: {
      'io.k8s.api.apps.v1.Deployment': {
        description: 'Deployment enables declarative updates for Pods and ReplicaSets.',
        type: 'object',
        required: ['spec'],
        properties: {
          apiVersion: { type: 'string', description: 'APIVersion defines the versioned schema of this representation of an object.' },
          kind: { type: 'string' },
          spec: { allOf: [{ $ref: '#/components/schemas/io.k8s.api.apps.v1.DeploymentSpec' }], description: 'Specification of the desired behavior of the Deployment.' },
        },
        'x-kubernetes-group-version-kind': [{ group: 'apps', kind: 'Deployment', version: 'v1' }],
      },
      'io.k8s.api.apps.v1.DeploymentSpec': {
        description: 'DeploymentSpec is the specification of the desired behavior of the Deployment.',
        type: 'object',
        properties: {
          replicas: { type: 'integer', description: 'Number of desired pods. This is a pointer to distinguish between explicit zero and not specified. Defaults to 1.' },
          strategy: { type: 'object', properties: { type: { type: 'string', enum: ['Recreate', 'RollingUpdate'] } } },
          labels: { type: 'object', additionalProperties: { type: 'string' } },
          containers: { type: 'array', items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' } },
          maxSurge: { format: 'int-or-string', 'x-kubernetes-int-or-string': true },
        },
      },
      'io.k8s.api.core.v1.Container': { type: 'object', required: ['name'], properties: { name: { type: 'string' }, image: { type: 'string', description: 'Container image name.' } } },
    },
  },
});
const gvk = { group: 'apps', version: 'v1', kind: 'Deployment' };
const root = findKindSchema(doc, gvk)!.schema;

describe('explain', () => {
  it.each([
    ['deployment', []],
    ['deployment.spec', ['spec']],
    ['deployment.spec.replicas', ['spec', 'replicas']],
    ['deployment.spec.strategy.type', ['spec', 'strategy', 'type']],
    ['deployment.spec.containers', ['spec', 'containers']],
  ])('%s (golden)', (name, path) => {
    expectGolden(__dirname, name, renderExplain(doc, gvk, root, path as string[], false));
  });

  it('--recursive lists the tree of names and types', () => {
    expectGolden(__dirname, 'deployment-recursive', renderExplain(doc, gvk, root, [], true));
  });

  it.each([
    [{ type: 'string' }, 'string'],
    [{ type: 'array', items: { $ref: '#/components/schemas/io.k8s.api.core.v1.Container' } }, '[]Container'],
    [{ type: 'object', additionalProperties: { type: 'string' } }, 'map[string]string'],
    [{ allOf: [{ $ref: '#/definitions/io.k8s.apimachinery.pkg.api.resource.Quantity' }] }, 'Quantity'],
    [{ 'x-kubernetes-int-or-string': true }, 'IntOrString'],
    [{ type: 'object' }, 'Object'],
  ])('typeName(%j) = %s', (schema, want) => {
    expect(typeName(doc, schema)).toBe(want);
  });

  it('rejects unknown fields', () => {
    expect(() => renderExplain(doc, gvk, root, ['spec', 'nope'], false)).toThrow('field "nope" does not exist');
  });

  it('wraps at 80 columns with the indent', () => {
    expect(wrap('aaaa bbbb cccc', 4, 12)).toEqual(['    aaaa', '    bbbb', '    cccc']);
  });
});
