// What a configMap, secret, downwardAPI or projected volume holds: relative path → bytes and
// mode, computed from the referenced objects as the kubelet's volume plugins do. Pure; the
// atomic writer puts it on disk.
import { Container, Pod } from '@coxswain/api/browser';
import { ConfigObjects, lookupData, podFieldValue, resourceFieldValue } from '../env/resolve-env';

export interface PayloadFile {
  data: Buffer;
  mode: number;
}

export type Payload = Map<string, PayloadFile>;

/** The volume cannot be set up yet (the kubelet's FailedMount): the pod's containers wait. */
export class VolumeSetupError extends Error {
  constructor(
    readonly volume: string,
    message: string,
  ) {
    super(`MountVolume.SetUp failed for volume "${volume}" : ${message}`);
    this.name = 'VolumeSetupError';
  }
}

type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const DEFAULT_MODE = 0o644;
const CONFIG_SOURCES = ['configMap', 'secret', 'downwardAPI', 'projected'] as const;

export interface PayloadContext {
  pod: Pod;
  objects: ConfigObjects;
  podIP: string;
  hostIP: string;
  nodeAllocatable: { cpu?: string; memory?: string };
}

/** True for the volume kinds whose files come from API objects (and are refreshed in place). */
export const isConfigVolume = (volume: Obj): boolean => CONFIG_SOURCES.some((s) => volume[s] !== undefined);

/** Kubernetes stores raw bytes for Secrets and binaryData; plain strings for ConfigMap data. */
function rawData(kind: 'ConfigMap' | 'Secret', name: string, ctx: PayloadContext, optional: boolean): Map<string, Buffer> | undefined {
  const found = kind === 'ConfigMap' ? ctx.objects.configMaps.get(name) : ctx.objects.secrets.get(name);
  if (!found) {
    lookupData(kind, name, ctx.pod.metadata.namespace ?? 'default', ctx.objects, optional); // throws unless optional
    return undefined;
  }
  const out = new Map<string, Buffer>();
  if (kind === 'ConfigMap') {
    const cm = found as Obj;
    for (const [k, v] of Object.entries(cm.data ?? {})) out.set(k, Buffer.from(String(v)));
    for (const [k, v] of Object.entries(cm.binaryData ?? {})) out.set(k, Buffer.from(String(v), 'base64'));
  } else {
    for (const [k, v] of Object.entries((found as Obj).data ?? {})) out.set(k, Buffer.from(String(v), 'base64'));
  }
  return out;
}

function objectFiles(kind: 'ConfigMap' | 'Secret', source: Obj, defaultMode: number, ctx: PayloadContext, out: Payload): void {
  const name = kind === 'Secret' ? (source.secretName ?? source.name) : source.name;
  const optional = source.optional === true;
  const data = rawData(kind, name, ctx, optional);
  if (!data) return;
  const items: Obj[] | undefined = Array.isArray(source.items) && source.items.length ? source.items : undefined;
  if (!items) {
    for (const [key, value] of data) out.set(key, { data: value, mode: defaultMode });
    return;
  }
  for (const item of items) {
    const value = data.get(item.key);
    if (value === undefined) {
      if (optional) continue;
      throw new Error(kind === 'ConfigMap' ? `configmap references non-existent config key: ${item.key}` : `references non-existent secret key: ${item.key}`);
    }
    out.set(item.path, { data: value, mode: item.mode ?? defaultMode });
  }
}

function downwardFiles(items: Obj[] | undefined, defaultMode: number, ctx: PayloadContext, out: Payload): void {
  for (const item of items ?? []) {
    let text: string;
    if (item.fieldRef) text = podFieldValue(String(item.fieldRef.fieldPath), ctx.pod, ctx.podIP, ctx.hostIP);
    else if (item.resourceFieldRef) {
      const container = ctx.pod.spec.containers.find((c) => c.name === item.resourceFieldRef.containerName) as Container | undefined;
      if (!container) throw new Error(`container "${item.resourceFieldRef.containerName}" not found in pod`);
      text = resourceFieldValue(item.resourceFieldRef, container, ctx.nodeAllocatable);
    } else continue;
    out.set(item.path, { data: Buffer.from(text), mode: item.mode ?? defaultMode });
  }
}

/** The files of one config volume; throws VolumeSetupError with the kubelet's wording. */
export function volumePayload(volume: Obj, ctx: PayloadContext): Payload {
  const out: Payload = new Map();
  try {
    if (volume.configMap) objectFiles('ConfigMap', volume.configMap, volume.configMap.defaultMode ?? DEFAULT_MODE, ctx, out);
    else if (volume.secret) objectFiles('Secret', volume.secret, volume.secret.defaultMode ?? DEFAULT_MODE, ctx, out);
    else if (volume.downwardAPI) downwardFiles(volume.downwardAPI.items, volume.downwardAPI.defaultMode ?? DEFAULT_MODE, ctx, out);
    else if (volume.projected) {
      const defaultMode = volume.projected.defaultMode ?? DEFAULT_MODE;
      for (const source of (volume.projected.sources ?? []) as Obj[]) {
        if (source.configMap) objectFiles('ConfigMap', source.configMap, defaultMode, ctx, out);
        else if (source.secret) objectFiles('Secret', source.secret, defaultMode, ctx, out);
        else if (source.downwardAPI) downwardFiles(source.downwardAPI.items, defaultMode, ctx, out);
        else throw new Error(`projected source ${Object.keys(source)[0]} is not supported`);
      }
    }
  } catch (error) {
    throw new VolumeSetupError(volume.name, (error as Error).message);
  }
  return out;
}
