import { createHash } from 'node:crypto';
import {
  checkSection,
  discoverySchema,
  manualModelSchema,
  type BedrockDiscoveryConfig,
  type BedrockProviderConfig,
  type ManualModelConfig,
} from '@turnpool/config';
import { z } from 'zod';
import { DiscoveryError } from './discovery-error.ts';

/** `models.bedrockDiscovery` as a library caller passes it: any key may be left out (the config's defaults apply). */
export type DiscoverySettings = Partial<BedrockDiscoveryConfig>;
/** The part of `models.providers["amazon-bedrock"]` discovery reads. */
export type ProviderSettings = Partial<Pick<BedrockProviderConfig, 'baseUrl' | 'models'>>;

export interface ResolvedDiscoverySettings {
  enabled: boolean | undefined;
  providerFilter: string[];
  refreshInterval: number;
  defaultContextWindow: number;
  defaultMaxTokens: number;
  manualModels: ManualModelConfig[];
  /** 16 hex chars over everything that changes what discovery stores (part of the cache key). */
  filterHash: string;
}

const manualModelsSchema = z.array(manualModelSchema);

/**
 * Checks the discovery settings once with the config file's own rules (libs/config
 * `discoverySchema`, `manualModelSchema`; the error names the key path) and fills in the
 * config's defaults (`discoveryDefaults`: the OpenClaw values).
 */
export function resolveDiscoverySettings(settings: DiscoverySettings = {}, provider: ProviderSettings = {}): ResolvedDiscoverySettings {
  const checked = checkSection(discoverySchema, settings, ['models', 'bedrockDiscovery']);
  if (!checked.ok) throw new DiscoveryError('invalid_discovery_config', checked.problem.message);
  const models = checkSection(manualModelsSchema, provider.models ?? [], ['models', 'providers', 'amazon-bedrock', 'models']);
  if (!models.ok) throw new DiscoveryError('invalid_discovery_config', models.problem.message);
  const { enabled, refreshInterval, defaultContextWindow, defaultMaxTokens } = checked.data;
  const providerFilter = [...new Set((checked.data.providerFilter ?? []).map((p) => p.trim().toLowerCase()))].sort();
  const filterHash = createHash('sha256')
    .update(JSON.stringify({ v: 1, providerFilter, defaultContextWindow, defaultMaxTokens }))
    .digest('hex')
    .slice(0, 16);
  return { enabled, providerFilter, refreshInterval, defaultContextWindow, defaultMaxTokens, manualModels: models.data, filterHash };
}

/** `enabled` undefined means "on when AWS credentials are present" (the OpenClaw default). */
export function isDiscoveryEnabled(enabled: boolean | undefined, credentialsPresent: boolean): boolean {
  return enabled ?? credentialsPresent;
}
