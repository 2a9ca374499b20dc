// Versions served by conversion to the stored one: autoscaling/v1 HorizontalPodAutoscaler is
// stored as autoscaling/v2 (what `kubectl autoscale` still sends).
import { hpaV1ToV2, hpaV2ToV1, KubeObject, resourceForKind, ResourceInfo } from '@coxswain/api';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface VersionConverter {
  /** The resource objects are stored (and validated) as. */
  storage: ResourceInfo;
  /** A request body in the served version → the stored version (merging with `stored`). */
  toStorage(body: Obj, stored?: KubeObject): Obj;
  /** An object or list in the stored version → the served version. */
  toServed(body: unknown): unknown;
}

export function converterFor(served: ResourceInfo): VersionConverter | undefined {
  if (served.group !== 'autoscaling' || served.version !== 'v1' || served.kind !== 'HorizontalPodAutoscaler') return undefined;
  const storage = resourceForKind('HorizontalPodAutoscaler', 'autoscaling/v2')!;
  return {
    storage,
    toStorage: (body, stored) => (typeof body === 'object' && body !== null && !Array.isArray(body) ? hpaV1ToV2(body, stored as Obj | undefined) : body),
    toServed: (body) => {
      const obj = body as Obj;
      if (obj?.kind === 'HorizontalPodAutoscaler') return hpaV2ToV1(obj);
      if (obj?.kind === 'HorizontalPodAutoscalerList') return { ...obj, apiVersion: 'autoscaling/v1', items: (obj.items ?? []).map((i: Obj) => hpaV2ToV1(i)) };
      return body;
    },
  };
}
