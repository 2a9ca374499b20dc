// Versions served by conversion to the stored one: autoscaling/v1 HorizontalPodAutoscaler is
// stored as autoscaling/v2 (what `kubectl autoscale` still sends); events.k8s.io/v1 Event is
// stored as core/v1 Event (what every recorder writes), so both APIs see the same events.
import { coreEventToEventsV1, eventsV1ToCoreEvent, FIELD_LABEL_CONVERSIONS, hpaV1ToV2, hpaV2ToV1, invalid, KubeObject, resourceForKind, ResourceInfo, validateEventsV1Create } from '@coxswain/api';

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface VersionConverter {
  /** The resource objects are stored (and validated) as. */
  storage: ResourceInfo;
  /** A request body in the served version → the stored version (merging with `stored`). */
  toStorage(body: Obj, stored?: KubeObject): Obj;
  /** An object or list in the stored version → the served version. */
  toServed(body: unknown): unknown;
  /** Field labels of the served version → the stored version's; only these are accepted. */
  fieldLabels?: Record<string, string>;
}

const isObj = (body: unknown): body is Obj => typeof body === 'object' && body !== null && !Array.isArray(body);

const eventsV1: () => VersionConverter = () => ({
  storage: resourceForKind('Event', 'v1')!,
  fieldLabels: FIELD_LABEL_CONVERSIONS['events.k8s.io/v1/Event'],
  toStorage: (body, stored) => {
    if (!isObj(body)) return body;
    // A new event must be new-style; an update of one recorded the core way may keep nulls.
    if (!stored) {
      const causes = validateEventsV1Create(body);
      if (causes.length) throw invalid({ resource: 'events', group: 'events.k8s.io', name: body.metadata?.name, kind: 'Event' }, causes);
    }
    return eventsV1ToCoreEvent(body);
  },
  toServed: (body) => {
    const obj = body as Obj;
    if (obj?.kind === 'Event') return coreEventToEventsV1(obj);
    if (obj?.kind === 'EventList') return { ...obj, apiVersion: 'events.k8s.io/v1', items: (obj.items ?? []).map((i: Obj) => coreEventToEventsV1(i)) };
    return body;
  },
});

export function converterFor(served: ResourceInfo): VersionConverter | undefined {
  if (served.group === 'events.k8s.io' && served.version === 'v1' && served.kind === 'Event') return eventsV1();
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
