// The two primitives every defaulting function uses: Kubernetes' SetDefaults_* only fill a
// field that is unset (absent or null), never one the client set.

export type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export function setDefault(target: Obj, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}
