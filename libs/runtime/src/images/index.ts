export { ImageStore, type ImageInfo, type ImageStoreOptions, type PullOptions, type PullProgress, type PullPolicy, type PreparedRootfs, type GcResult, type ImageLimits, DEFAULT_IMAGE_LIMITS } from './image-store';
export { ImageNotFoundError, RegistryUnavailableError, DigestMismatchError, ImagePullError, InvalidReferenceError, LayerRejectedError, ImageTooLargeError, type EndpointAttempt } from './errors';
export { parseReference, normalizeReference, formatReference, type ImageReference } from './reference';
export { type RegistryConfig, type RegistryCredentials, registryEndpoints, insecureHosts } from './hosts';
export { MediaType, type ImageConfig, type Descriptor, type Platform } from './manifest';
export { isMountPoint } from './overlay';
