// The kinds Coxswain serves, as REST coordinates for the client: derived from libs/api's kind
// list (@coxswain/api/browser), so a kind added there is addressable here as R.<Kind>.
import { KindInfo, kindFor, KINDS, type KindName } from '@coxswain/api/browser';
import { ResourceDescriptor } from './resource';

const descriptorOf = ({ group, version, kind, plural, namespaced }: KindInfo): ResourceDescriptor => ({ group, version, kind, plural, namespaced });

function byKind(): Record<KindName, ResourceDescriptor> {
  const out: Partial<Record<KindName, ResourceDescriptor>> = {};
  // The first entry per kind is the preferred version (autoscaling/v2 before v1, core Events first).
  for (const k of KINDS) out[k.kind] ??= descriptorOf(k);
  return out as Record<KindName, ResourceDescriptor>;
}

export const BUILTIN_RESOURCES: Readonly<Record<KindName, ResourceDescriptor>> = byKind();

export type BuiltinKind = KindName;

/** Descriptor for a kind, optionally pinned to an apiVersion; undefined when unknown. */
export function builtinResourceForKind(kind: string, apiVersion?: string): ResourceDescriptor | undefined {
  const found = kindFor(KINDS, kind, apiVersion);
  if (!found) return undefined;
  const preferred = BUILTIN_RESOURCES[found.kind];
  return preferred.version === found.version && preferred.group === found.group ? preferred : descriptorOf(found);
}
