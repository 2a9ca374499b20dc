// Discovery, OpenAPI and server-side Table printing: pure builders the REST router serves.
export { versionInfo, goPlatform, GIT_VERSION, KUBERNETES_MAJOR, KUBERNETES_MINOR, type VersionInfo, type VersionOptions } from './version';
export {
  apiVersions,
  apiGroupList,
  apiGroup,
  apiResourceList,
  type APIVersions,
  type APIGroupList,
  type APIGroup,
  type APIResourceList,
  type APIResource,
} from './legacy';
export { aggregatedDiscovery, negotiateDiscovery, type APIGroupDiscoveryList, type DiscoveryNegotiation, type DiscoveryVersion } from './aggregated';
export { parseAccept, negotiateTable, type MediaRange, type TableNegotiation } from './accept';
export { catalog, findGroupVersion, storageVersionHash, type CatalogGroupVersion, type CatalogResource, type CatalogSubresource } from './catalog';
export {
  openApiV2,
  openApiV2Text,
  openApiV2Protobuf,
  negotiateOpenApiV2,
  openApiV3Index,
  openApiV3Doc,
  openApiV3DocText,
  groupVersionPath,
} from './openapi/documents';
// Tables are printed by libs/api's printers (shared with coxctl and the dashboard).
export { toTable, printerFor, type TableOptions, type IncludeObject } from '@coxswain/api';
export { humanDuration, timestampSince } from '@coxswain/api';
export type { Table, TableRow, TableColumnDefinition, TableRowCondition, PartialObjectMetadata, Cell } from '@coxswain/api';
