// Kubernetes' RuntimeClass admission plugin on pod create refuses a pod whose
// spec.runtimeClassName names no RuntimeClass. Coxswain has no RuntimeClass kind and one
// runtime (runc-style containers), so every name is unknown: a pod asking for gVisor or Kata
// is refused rather than run without the sandbox it asked for. Pure.

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Why a pod spec is refused (the text after `pods "x" is forbidden: `), or undefined. */
export function runtimeClassRefusal(spec: Obj): string | undefined {
  const name = spec.runtimeClassName;
  if (name === undefined || name === null || name === '') return undefined;
  return `pod rejected: RuntimeClass ${JSON.stringify(String(name))} not found`;
}
