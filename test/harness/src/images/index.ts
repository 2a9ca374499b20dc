export { buildImageFromDir, buildIndexLayout, FIXTURE_MTIME, type BuiltImage, type FixtureImageConfig } from './oci-layout';
export { buildBusyboxImage, writeBusyboxRootfs, fixturesDir, tarLayout } from './busybox';
export { pushImage, seedRegistry } from './push';
export { buildImageFromLayerTars, type LayeredImageConfig } from './layers';
export { buildDebianImages, seedDebianImages, DEBIAN_IMAGE_NAMES, type DebianImages, type DebianImageKind } from './debian';
