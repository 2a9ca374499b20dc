// A pod's `persistentVolumeClaim` volume → the host directory to bind-mount, as the kubelet's
// volume manager resolves it: the claim must exist and be bound, its volume must be reachable
// from this node; our local volumes are mounted first (idempotently). Until then the
// container waits with FailedMount and the reason.
import { PersistentVolume, PersistentVolumeClaim, PROVISIONED_BY_ANNOTATION, storageQuantity } from '@coxswain/api/browser';
import { ApiError, BUILTIN_RESOURCES as R, KubeClient } from '@coxswain/client';
import { LOCAL_PROVISIONER, volumeNode } from '@coxswain/scheduling';
import { VolumeSetupError } from '../volumes/payload';

export interface ClaimVolumesOptions {
  client: Pick<KubeClient, 'get'>;
  nodeName: string;
  /** Mounts one of this node's local volumes; returns its path. */
  ensureMounted(volumeName: string): Promise<string>;
  /** A workload here waits for this unbound claim (the local provisioner may have to make its volume). */
  onUnbound?(namespace: string, claimName: string): void;
}

const notFound = (error: unknown) => error instanceof ApiError && error.code === 404;

export class ClaimVolumes {
  constructor(private readonly options: ClaimVolumesOptions) {}

  async pathFor(namespace: string, volume: string, claimName: string): Promise<string> {
    return (await this.volumeFor(namespace, volume, claimName)).path;
  }

  /** The mounted directory, the bound volume's capacity in bytes and the claim as read. */
  async volumeFor(namespace: string, volume: string, claimName: string): Promise<{ path: string; capacityBytes: number; claim: PersistentVolumeClaim }> {
    const { client, nodeName } = this.options;
    const claim = await client.get<PersistentVolumeClaim>(R.PersistentVolumeClaim, claimName, { namespace }).catch((error) => {
      if (notFound(error)) throw new VolumeSetupError(volume, `persistentvolumeclaim "${claimName}" not found`);
      throw error;
    });
    if (claim.metadata.deletionTimestamp) throw new VolumeSetupError(volume, `error processing PVC ${namespace}/${claimName}: PVC is being deleted`);
    const volumeName = claim.spec?.volumeName;
    if (!volumeName || claim.status?.phase !== 'Bound') {
      this.options.onUnbound?.(namespace, claimName);
      throw new VolumeSetupError(volume, `error processing PVC ${namespace}/${claimName}: PVC is not bound`);
    }
    const pv = await client.get<PersistentVolume>(R.PersistentVolume, volumeName).catch((error) => {
      if (notFound(error)) throw new VolumeSetupError(volume, `persistentvolume "${volumeName}" not found`);
      throw error;
    });
    const onNode = volumeNode(pv);
    if (onNode !== undefined && onNode !== nodeName) throw new VolumeSetupError(volume, `volume ${volumeName} is on node ${onNode}, not ${nodeName}`);
    const capacityBytes = Number(storageQuantity(pv.spec?.capacity)?.value ?? 0n);
    if (pv.metadata.annotations?.[PROVISIONED_BY_ANNOTATION] === LOCAL_PROVISIONER && onNode === nodeName) {
      const path = await this.options.ensureMounted(volumeName).catch((error) => {
        throw new VolumeSetupError(volume, String((error as Error)?.message ?? error));
      });
      return { path, capacityBytes, claim };
    }
    const path = pv.spec?.local?.path ?? pv.spec?.hostPath?.path;
    if (!path) throw new VolumeSetupError(volume, `volume ${volumeName} has no local or hostPath source this node can mount`);
    return { path, capacityBytes, claim };
  }
}
