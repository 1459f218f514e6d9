export { loadConfig, readConfigFile, type LoadConfigOptions, type LoadedConfig } from './load-config.ts';
export { parseConfigText, maxConfigTextLength, type ParseConfigTextOptions, type ParsedConfigText } from './parse-config-text.ts';
export {
  resolveConfigPath,
  explicitConfigPath,
  configSourceLabels,
  type ConfigLookupOptions,
  type ConfigSource,
  type ResolvedConfigPath,
} from './resolve-config-path.ts';
export { resolveConfigWritePath } from './resolve-config-write-path.ts';
export { setConfigValue, type SetConfigValueOptions, type SetConfigValueResult } from './set-config-value.ts';
export { setJson5Value } from './set-json5-value.ts';
export { parseCliValue } from './parse-cli-value.ts';
export { parseKeyPath, maxKeyPathLength, maxKeyPathSegments, type KeyPathSegment } from './parse-key-path.ts';
export { formatKeyPath } from './format-key-path.ts';
export { getValueAtPath } from './get-value-at-path.ts';
export { ConfigError, formatConfigProblem, type ConfigErrorCode, type ConfigProblem } from './config-error.ts';
export { configSchema, configFileSchema } from './config-schema.ts';
export { redisUrlSchema } from './schema-helpers.ts';
export { parseRedisTarget, redisFailureHint, RedisUrlError, type RedisTarget } from './parse-redis-target.ts';
export { discoveryDefaults, discoverySchema, manualModelSchema } from './bedrock-schemas.ts';
export { checkSection, type SectionProblem } from './check-section.ts';
export { envOverrides, type EnvOverride } from './env-overrides.ts';
export { parseModelRef, bedrockProviderId } from './parse-model-ref.ts';
export type { TurnpoolConfig, QuotaBudget, BedrockDiscoveryConfig, BedrockProviderConfig, ManualModelConfig } from './turnpool-config.ts';
export { redactConfigValue } from './redact-config-value.ts';
export {
  sharedSettings,
  resolveSetting,
  defaultMaxThreads,
  defaultMaxTurns,
  type SharedSettingName,
  type SettingValue,
} from './shared-settings.ts';
