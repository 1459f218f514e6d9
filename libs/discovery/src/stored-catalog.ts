import type { CatalogEntry, FilteredModel } from '@turnpool/protocol';

/** What one catalog key in Redis holds (JSON). */
export interface StoredCatalog {
  v: 1;
  fetchedAt: number;
  /**
   * fetchedAt + the writer's refreshInterval. Informational: each reader judges freshness as
   * fetchedAt + its own refreshInterval (a process configured with a shorter interval refreshes
   * sooner); a stale copy is still served while refreshing or when Bedrock fails.
   */
  expiresAt: number;
  entries: CatalogEntry[];
  filtered: FilteredModel[];
  warning?: string;
}

/** The last failed refresh, so every process can say why its copy is stale. */
export interface StoredRefreshError {
  code: string;
  message: string;
  at: number;
}

/**
 * Parses a stored catalog; anything that is not one (junk, another version, a hostile value)
 * is `undefined`, i.e. a cache miss, never a crash.
 */
export function parseStoredCatalog(text: string | null | undefined): StoredCatalog | undefined {
  if (typeof text !== 'string' || text.length > 16 * 1024 * 1024) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null) return undefined;
  const s = v as Partial<StoredCatalog>;
  if (s.v !== 1 || !Number.isFinite(s.fetchedAt) || !Number.isFinite(s.expiresAt)) return undefined;
  if (!Array.isArray(s.entries) || !Array.isArray(s.filtered)) return undefined;
  const entryOk = (e: unknown) =>
    typeof e === 'object' &&
    e !== null &&
    typeof (e as CatalogEntry).id === 'string' &&
    typeof (e as CatalogEntry).contextWindow === 'number' &&
    typeof (e as CatalogEntry).maxTokens === 'number';
  if (!s.entries.every(entryOk)) return undefined;
  return s as StoredCatalog;
}

/**
 * One run-time mark: the value of a model id in the catalog's `unavailable` hash (JSON). The
 * mark holds until `until` (ms since epoch), judged by the reader's clock.
 */
export interface StoredMark {
  reason: string;
  until: number;
}

/** Parses a mark; anything else (junk, a mark without an expiry from an older version) is `undefined`, i.e. no mark. */
export function parseStoredMark(text: string | null | undefined): StoredMark | undefined {
  if (typeof text !== 'string' || text.length > 10_000) return undefined;
  try {
    const v = JSON.parse(text) as Partial<StoredMark>;
    return typeof v.reason === 'string' && typeof v.until === 'number' && Number.isFinite(v.until)
      ? { reason: v.reason, until: v.until }
      : undefined;
  } catch {
    return undefined;
  }
}

export function parseStoredError(text: string | null | undefined): StoredRefreshError | undefined {
  if (typeof text !== 'string' || text.length > 10_000) return undefined;
  try {
    const v = JSON.parse(text) as Partial<StoredRefreshError>;
    return typeof v.code === 'string' && typeof v.message === 'string' && typeof v.at === 'number' ? (v as StoredRefreshError) : undefined;
  } catch {
    return undefined;
  }
}
