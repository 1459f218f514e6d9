import { createHash } from 'node:crypto';
import type { DiscoverySettings, ManualModelConfig, ProviderSettings } from './catalog-types.ts';
import { DiscoveryError } from './discovery-error.ts';

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

const base = 'models.bedrockDiscovery';

/**
 * Checks the discovery settings once (the error names the key path) and fills in the
 * OpenClaw defaults: refreshInterval 3600, defaultContextWindow 32000, defaultMaxTokens 4096.
 */
export function resolveDiscoverySettings(settings: DiscoverySettings = {}, provider: ProviderSettings = {}): ResolvedDiscoverySettings {
  const fail = (key: string, value: unknown, allowed: string) =>
    new DiscoveryError('invalid_discovery_config', `${key} must be ${allowed}, got ${JSON.stringify(value)?.slice(0, 80) ?? String(value)}`);
  if (settings.enabled !== undefined && typeof settings.enabled !== 'boolean') throw fail(`${base}.enabled`, settings.enabled, 'true or false');
  const pf = settings.providerFilter ?? [];
  if (!Array.isArray(pf) || pf.length > 100 || !pf.every((p) => typeof p === 'string' && /^[A-Za-z0-9 ._-]{1,63}$/.test(p))) {
    throw fail(`${base}.providerFilter`, pf, 'a list of up to 100 provider names (letters, digits, space, . _ -)');
  }
  const int = (key: keyof DiscoverySettings, dflt: number, min: number, max: number) => {
    const v = settings[key] ?? dflt;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) throw fail(`${base}.${key}`, v, `an integer from ${min} to ${max}`);
    return v;
  };
  const refreshInterval = int('refreshInterval', 3600, 0, 30 * 24 * 3600);
  const defaultContextWindow = int('defaultContextWindow', 32_000, 1, 10_000_000);
  const defaultMaxTokens = int('defaultMaxTokens', 4_096, 1, 1_000_000);
  const manualModels = [...(provider.models ?? [])];
  manualModels.forEach((m, i) => {
    if (typeof m?.id !== 'string' || m.id === '' || m.id.length > 256) {
      throw fail(`models.providers.amazon-bedrock.models[${i}].id`, m?.id, 'a model or inference profile id (1-256 chars)');
    }
  });
  const providerFilter = [...new Set(pf.map((p) => p.trim().toLowerCase()))].sort();
  const filterHash = createHash('sha256')
    .update(JSON.stringify({ v: 1, providerFilter, defaultContextWindow, defaultMaxTokens }))
    .digest('hex').slice(0, 16);
  return { enabled: settings.enabled, providerFilter, refreshInterval, defaultContextWindow, defaultMaxTokens, manualModels, filterHash };
}

/** `enabled` undefined means "on when AWS credentials are present" (the OpenClaw default). */
export function isDiscoveryEnabled(enabled: boolean | undefined, credentialsPresent: boolean): boolean {
  return enabled ?? credentialsPresent;
}
