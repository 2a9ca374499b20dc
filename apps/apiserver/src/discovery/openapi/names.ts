// OpenAPI definition names, Kubernetes-style: `io.k8s.api.core.v1.Pod`,
// `io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta`, `io.kubevirt.api.v1.VirtualMachine`.
// A nested class takes the package of the first kind that reaches it, core kinds first, so
// Container is core/v1 even though Deployments reach it too.
import {
  Binding,
  Eviction,
  LabelSelectorFields,
  LabelSelectorRequirementFields,
  ObjectMetaFields,
  ObjectReferenceFields,
  OwnerReferenceFields,
  ConditionFields,
  HorizontalPodAutoscalerSpecV1,
  PodTemplateSpec,
  RESOURCES,
  SCALE_CLASS,
  VmResourceRequirements,
  VmVolume,
} from '@coxswain/api';
import { Class, classModel, Shape } from './class-model';

export const META_PACKAGE = 'io.k8s.apimachinery.pkg.apis.meta.v1';

/** `io.k8s.api.<group>.<version>` for Kubernetes groups, reversed domain + `.api.<version>` otherwise. */
export function packageFor(group: string, version: string): string {
  if (group === '') return `io.k8s.api.core.${version}`;
  if (!group.includes('.') || group.endsWith('.k8s.io')) return `io.k8s.api.${group.split('.')[0]}.${version}`;
  return `${group.split('.').reverse().join('.')}.api.${version}`;
}

export function kindDefinitionName(group: string, version: string, kind: string): string {
  if (group === 'metrics.k8s.io') return `io.k8s.metrics.pkg.apis.metrics.${version}.${kind}`;
  return `${packageFor(group, version)}.${kind}`;
}

/** Input classes whose Kubernetes name differs from the class name. */
const ALIASES = new Map<Class, string>([
  [ObjectMetaFields, `${META_PACKAGE}.ObjectMeta`],
  [OwnerReferenceFields, `${META_PACKAGE}.OwnerReference`],
  [LabelSelectorFields, `${META_PACKAGE}.LabelSelector`],
  [LabelSelectorRequirementFields, `${META_PACKAGE}.LabelSelectorRequirement`],
  [ConditionFields, `${META_PACKAGE}.Condition`],
  [ObjectReferenceFields, 'io.k8s.api.core.v1.ObjectReference'],
  [VmResourceRequirements, 'io.kubevirt.api.v1.ResourceRequirements'],
  [VmVolume, 'io.kubevirt.api.v1.Volume'],
  [HorizontalPodAutoscalerSpecV1, 'io.k8s.api.autoscaling.v1.HorizontalPodAutoscalerSpec'],
]);

export interface Root {
  name: string;
  cls: Class;
  group: string;
  version: string;
  kind: string;
}

/** Top-level kinds: every registry kind plus the bodies of subresources (Scale, Binding, Eviction). */
export function roots(): Root[] {
  const kinds: Root[] = RESOURCES.map((r) => ({ name: kindDefinitionName(r.group, r.version, r.kind), cls: r.cls, group: r.group, version: r.version, kind: r.kind }));
  const extra: Root[] = [
    { name: 'io.k8s.api.core.v1.Binding', cls: Binding, group: '', version: 'v1', kind: 'Binding' },
    { name: 'io.k8s.api.autoscaling.v1.Scale', cls: SCALE_CLASS, group: 'autoscaling', version: 'v1', kind: 'Scale' },
    { name: 'io.k8s.api.policy.v1.Eviction', cls: Eviction, group: 'policy', version: 'v1', kind: 'Eviction' },
  ];
  return [...kinds, ...extra];
}

function childClasses(shape: Shape): Class[] {
  if (shape.kind === 'ref') return [shape.cls];
  if (shape.kind === 'array') return childClasses(shape.items);
  if (shape.kind === 'map') return childClasses(shape.values);
  return [];
}

export interface NameTable {
  nameOf(cls: Class): string;
  /** Every named class, in the order names were given. */
  entries(): Array<[string, Class]>;
  /** The GVK a top-level definition carries. */
  rootOf(name: string): Root | undefined;
}

let table: NameTable | undefined;

export function nameTable(): NameTable {
  if (table) return table;
  const names = new Map<Class, string>();
  const byName = new Map<string, Class>();
  const rootsByName = new Map<string, Root>();
  const give = (cls: Class, name: string): void => {
    if (names.has(cls)) return;
    let unique = name;
    for (let n = 2; byName.has(unique); n++) unique = `${name}${n}`;
    names.set(cls, unique);
    byName.set(unique, cls);
  };
  const visit = (cls: Class, pkg: string): void => {
    for (const property of classModel(cls).properties) {
      for (const child of childClasses(property.shape)) {
        if (names.has(child)) continue;
        give(child, ALIASES.get(child) ?? `${pkg}.${child.name}`);
        visit(child, pkg);
      }
    }
  };
  const all = roots();
  for (const root of all) {
    give(root.cls, root.name);
    rootsByName.set(root.name, root);
  }
  // Core first so shared pod pieces (PodTemplateSpec, Container, Affinity…) land in core/v1.
  const core = packageFor('', 'v1');
  give(PodTemplateSpec, `${core}.PodTemplateSpec`);
  visit(PodTemplateSpec, core);
  // Referenced only by the hand-written status schemas.
  give(ConditionFields, ALIASES.get(ConditionFields)!);
  const ordered = [...all.filter((r) => r.group === ''), ...all.filter((r) => r.group !== '')];
  for (const root of ordered) visit(root.cls, packageFor(root.group, root.version));
  table = {
    nameOf: (cls) => {
      const name = names.get(cls);
      if (!name) throw new Error(`no OpenAPI name for class ${cls.name}`);
      return name;
    },
    entries: () => [...byName.entries()],
    rootOf: (name) => rootsByName.get(name),
  };
  return table;
}
