import type { CatalogEntry } from '@turnpool/protocol';

/**
 * The inference-profile entries that run `baseModelId`, regional geography first, `global`
 * last — what to suggest when someone names a bare id that runs only through a profile
 * (Bedrock's ValidationException "on-demand throughput isn't supported" does not say which one).
 */
export function profileEntriesFor(entries: readonly CatalogEntry[], baseModelId: string): CatalogEntry[] {
  return entries
    .filter((e) => e.profile !== undefined && e.baseModelId === baseModelId)
    .sort((a, b) => Number(a.profile?.geography === 'global') - Number(b.profile?.geography === 'global'));
}
