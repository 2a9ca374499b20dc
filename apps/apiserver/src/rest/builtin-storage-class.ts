// The built-in StorageClass `local-path` (the cluster default): the node agents' local
// provisioner, binding on first consumer so the volume is made where the pod is scheduled.
// Created at start-up when absent (like an addon in EnsureExists mode); edits are kept.
import { applyDefaults, DEFAULT_CLASS_ANNOTATION, KubeObject, resourceForKind, StatusError } from '@coxswain/api';
import { ObjectStore } from '../storage/object-store';
import { prepareForCreate } from './object-rules';

const STORAGE_CLASSES = resourceForKind('StorageClass')!;
export const BUILTIN_STORAGE_CLASS = 'local-path';

export function builtinStorageClass(): KubeObject {
  return applyDefaults({
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: BUILTIN_STORAGE_CLASS, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    provisioner: 'coxswain.io/local',
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion: false,
  } as KubeObject);
}

export async function ensureBuiltinStorageClass(store: ObjectStore, now = new Date()): Promise<void> {
  if (await store.get(STORAGE_CLASSES, undefined, BUILTIN_STORAGE_CLASS)) return;
  try {
    await store.create(STORAGE_CLASSES, prepareForCreate(STORAGE_CLASSES, builtinStorageClass(), now));
  } catch (error) {
    if (!(error instanceof StatusError && error.code === 409)) throw error;
  }
}
