import fc from 'fast-check';
import { ValidationError } from 'class-validator';
import { RESOURCES } from '../resources/registry';
import { planFor, validateCompiled } from './compiled';
import { reflectiveErrors } from './validate';

type Obj = Record<string, unknown>;

/**
 * An error tree as plain data, constraint order included (the first one names the cause).
 * Values compare with sorted keys: an instance lists its declared fields first, the plain
 * object keeps the client's order (no rule fails on such an object, so no message shows it).
 */
const sortedJson = (value: unknown): string => JSON.stringify(value, (_k, v) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v));

function shape(errors: ValidationError[]): unknown[] {
  return errors.map((e) => ({ property: e.property, value: sortedJson(e.value), constraints: e.constraints ? Object.entries(e.constraints) : undefined, children: e.children ? shape(e.children) : undefined }));
}

// Values that pass or fail the decorators' rules: every rule sees both.
const SCALARS: unknown[] = ['', 'web', 'Always', 'TCP', 'IfNotPresent', 'NoSchedule', 'In', 'Exists', '100m', '64Mi', '-1', 'Bad_Name', 'a.b/c', '25%', 'x'.repeat(70), 0, 1, -1, 8080, 70000, 1.5, true, false, null];
const COMPOUND: unknown[] = [[], ['a', 'b'], [1], [null], [[{}]], {}, { app: 'web' }, { cpu: '100m', memory: '64Mi' }, { cpu: -1 }, { 'bad key!': 'x' }, { a: 1 }];

/** Random objects shaped like a class: known fields with right or wrong values, nesting, unknown keys. */
function objectOf(cls: new () => object, depth: number): fc.Arbitrary<Obj> {
  const plan = planFor(cls as never);
  if (!plan || depth > 4) return fc.constant({});
  const fields = plan.properties.map((p) => {
    const leaf = fc.constantFrom(...SCALARS, ...COMPOUND);
    let target: (new () => object) | undefined;
    try {
      target = p.target?.()?.cls;
    } catch {
      target = undefined;
    }
    const value = target ? fc.oneof({ weight: 1, arbitrary: leaf }, { weight: 3, arbitrary: objectOf(target, depth + 1) }, { weight: 3, arbitrary: fc.array(fc.oneof({ weight: 4, arbitrary: objectOf(target, depth + 1) }, { weight: 1, arbitrary: leaf }), { maxLength: 3 }) }) : leaf;
    return [p.name, value] as const;
  });
  return fc
    .tuple(fc.record(Object.fromEntries(fields), { requiredKeys: [] }), fc.dictionary(fc.constantFrom('extra', 'bogus', 'x-y'), fc.constantFrom(...SCALARS), { maxKeys: 1 }), fc.integer({ min: 0, max: 9 }))
    .map(([known, unknown, roll]) => (roll === 0 ? { ...unknown, ...known } : roll === 1 ? { ...known, ...unknown } : known));
}

describe('compiled validation (class-validator rules compiled once per class)', () => {
  it.each(RESOURCES.map((r) => [r.kind, r] as const))('%s: every class in its tree compiles', (_kind, resource) => {
    expect(planFor(resource.cls as never)).toBeDefined();
  });

  it.each(RESOURCES.map((r) => [r.kind, r] as const))('%s: same errors, in the same order, as plainToInstance + validateSync on random objects', (_kind, resource) => {
    fc.assert(
      fc.property(objectOf(resource.cls, 0), (obj) => {
        const input = { apiVersion: 'v1', kind: resource.kind, ...obj };
        const before = JSON.stringify(input);
        expect(shape(validateCompiled(resource.cls as never, input))).toEqual(shape(reflectiveErrors(resource.cls, input)));
        expect(JSON.stringify(input)).toBe(before); // reads only
      }),
      { seed: 20261205, numRuns: 150 },
    );
  });

  it('reports unknown fields at every depth and wrong types with their rule names', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p', bogus: 1 }, spec: { containers: [{ name: 'a', image: 'b', ports: [{ containerPort: 'x' }], extra: true }], restartPolicy: 'Sometimes' } };
    const pods = RESOURCES.find((r) => r.kind === 'Pod')!;
    const errors = shape(validateCompiled(pods.cls as never, pod));
    expect(errors).toEqual(shape(reflectiveErrors(pods.cls, pod)));
    expect(JSON.stringify(errors)).toContain('whitelistValidation');
    expect(JSON.stringify(errors)).toContain('NotSupported');
    expect(JSON.stringify(errors)).toContain('Invalid:int');
  });
});
