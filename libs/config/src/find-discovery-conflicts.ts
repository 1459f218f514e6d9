import { isDeepStrictEqual } from 'node:util';
import { getValueAtPath } from './get-value-at-path.ts';
import { isPlainObject } from './is-plain-object.ts';
import { renderValue } from './render-value.ts';

const aliasPath = ['plugins', 'entries', 'amazon-bedrock', 'config', 'discovery'] as const;
const mainPath = ['models', 'bedrockDiscovery'] as const;

/**
 * Keys that both `models.bedrockDiscovery` and `plugins.entries["amazon-bedrock"].config.discovery`
 * set to different values; `models.bedrockDiscovery` wins each one. One warning per key.
 */
export function findDiscoveryConflicts(input: unknown): string[] {
  const alias = getValueAtPath(input, aliasPath);
  const main = getValueAtPath(input, mainPath);
  if (!alias.found || !main.found || !isPlainObject(alias.value) || !isPlainObject(main.value)) return [];
  const warnings: string[] = [];
  for (const key of Object.keys(main.value)) {
    if (!Object.hasOwn(alias.value, key)) continue;
    const a = alias.value[key];
    const m = main.value[key];
    if (isDeepStrictEqual(a, m)) continue;
    warnings.push(
      `models.bedrockDiscovery.${key} (${renderValue(m, false)}) wins over ` +
        `plugins.entries["amazon-bedrock"].config.discovery.${key} (${renderValue(a, false)})`,
    );
  }
  return warnings;
}
