// CDI's (cdi.kubevirt.io) annotations and the import condition the node agent reports on a
// DataVolume's claim, without decorators: the controller, the node agent, the API server's
// node rule and the printers read the same names.

/** The import source on a DataVolume's claim (CDI's AnnSource): `registry` or `none` (blank). */
export const CDI_SOURCE_ANNOTATION = 'cdi.kubevirt.io/storage.import.source';
/** The registry URL (`docker://…`) to import (CDI's AnnEndpoint). */
export const CDI_ENDPOINT_ANNOTATION = 'cdi.kubevirt.io/storage.import.endpoint';
/** `kubevirt`: the claim holds a VM disk as disk.img (CDI's AnnContentType). */
export const CDI_CONTENT_TYPE_ANNOTATION = 'cdi.kubevirt.io/storage.contentType';
/** The uid of the DataVolume the claim was made for (CDI's AnnCreatedForDataVolume). */
export const CDI_CREATED_FOR_ANNOTATION = 'cdi.kubevirt.io/createdForDataVolume';

/**
 * The claim condition the node that holds the volume writes while it imports (a node may
 * change only its claims' status.conditions): reason ImportInProgress (message: progress like
 * "45.20%"), ImportSucceeded, or ImportFailed (message: why; final, CDI's Failed phase).
 */
export const CDI_IMPORT_CONDITION = 'cdi.kubevirt.io/Import';
export const IMPORT_IN_PROGRESS = 'ImportInProgress';
export const IMPORT_SUCCEEDED = 'ImportSucceeded';
export const IMPORT_FAILED = 'ImportFailed';

export const DATA_VOLUME_PHASES = ['Pending', 'PVCBound', 'WaitForFirstConsumer', 'ImportScheduled', 'ImportInProgress', 'Succeeded', 'Failed', 'Unknown'] as const;
export type DataVolumePhase = (typeof DATA_VOLUME_PHASES)[number];

export interface ImportState {
  reason: typeof IMPORT_IN_PROGRESS | typeof IMPORT_SUCCEEDED | typeof IMPORT_FAILED;
  message: string;
}

/** The import condition on a claim, if the node has reported one. */
export function importStateOf(claim: { status?: { conditions?: Array<{ type?: string; reason?: string; message?: string }> } } | undefined): ImportState | undefined {
  const c = claim?.status?.conditions?.find((x) => x.type === CDI_IMPORT_CONDITION);
  if (!c || (c.reason !== IMPORT_IN_PROGRESS && c.reason !== IMPORT_SUCCEEDED && c.reason !== IMPORT_FAILED)) return undefined;
  return { reason: c.reason, message: c.message ?? '' };
}

/** `docker://registry:5000/disk:1` → `registry:5000/disk:1`; undefined for other schemes. */
export function registryImageOf(url: unknown): string | undefined {
  if (typeof url !== 'string' || !url.startsWith('docker://')) return undefined;
  const image = url.slice('docker://'.length);
  return image === '' ? undefined : image;
}
