// The claims, volumes and classes VolumeBinding reads, kept from informer events. Lists are
// rebuilt only after a change, so attempts for workloads with claims share one snapshot.
import { PersistentVolume, PersistentVolumeClaim, StorageClass } from '@coxswain/api';
import { StorageObjects } from '@coxswain/scheduling';

type Kind = 'claims' | 'volumes' | 'classes';
type StorageObject = PersistentVolumeClaim | PersistentVolume | StorageClass;

const keyOf = (obj: StorageObject) => `${obj.metadata?.namespace ?? ''}/${obj.metadata?.name ?? ''}`;

export class StorageCache {
  private readonly maps: Record<Kind, Map<string, StorageObject>> = { claims: new Map(), volumes: new Map(), classes: new Map() };
  private snapshot?: StorageObjects;

  set(kind: Kind, obj: StorageObject): void {
    this.maps[kind].set(keyOf(obj), obj);
    this.snapshot = undefined;
  }

  remove(kind: Kind, obj: StorageObject): void {
    this.maps[kind].delete(keyOf(obj));
    this.snapshot = undefined;
  }

  objects(): StorageObjects {
    this.snapshot ??= {
      claims: [...this.maps.claims.values()] as PersistentVolumeClaim[],
      volumes: [...this.maps.volumes.values()] as PersistentVolume[],
      classes: [...this.maps.classes.values()] as StorageClass[],
    };
    return this.snapshot;
  }
}
