export { createCatalog, type CreateCatalogOptions } from './create-catalog.ts';
export { DiscoveryError, type DiscoveryErrorCode } from './discovery-error.ts';
export { fetchBedrockCatalog, type RawBedrockCatalog } from './fetch-bedrock-catalog.ts';
export { mapCatalog, keptLifecycles, type MapCatalogOptions, type RawFoundationModel, type RawInferenceProfile } from './map-catalog.ts';
export { mergeManualModels } from './merge-manual-models.ts';
export {
  acceptsDocuments,
  knownLimits,
  lookupKnownLimits,
  stripProfilePrefix,
  withDocumentInput,
  type KnownLimits,
} from './known-limits.ts';
export { geographiesForRegion, profileGeography } from './profile-geography.ts';
export {
  isDiscoveryEnabled,
  resolveDiscoverySettings,
  type DiscoverySettings,
  type ProviderSettings,
  type ResolvedDiscoverySettings,
} from './resolve-discovery-settings.ts';
export { catalogKeys } from './catalog-keys.ts';
export { profileEntriesFor } from './profile-entries-for.ts';
