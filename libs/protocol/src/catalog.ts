import type { CatalogEntry } from './catalog-entry.ts';

/** A run-time mark on a model (`Catalog.marks()`). */
export interface UnavailableMark {
  modelId: string;
  reason: string;
  /** When the mark expires (ms since epoch). */
  until: number;
}

/** A model discovery left out, and why (`turnpool models list --all`). */
export interface FilteredModel {
  id: string;
  name: string;
  provider: string;
  reason: string;
}

export interface CatalogSnapshot {
  entries: CatalogEntry[];
  /** Present when asked for with `includeFiltered`. */
  filtered?: FilteredModel[];
  /** When Bedrock was asked (ms since epoch). */
  fetchedAt: number;
  /** True when the copy is past its refresh interval (served while a refresh runs or fails). */
  stale: boolean;
  /** Something a person should know: profiles skipped for lack of permission, a failed refresh. */
  warning?: string;
}

/**
 * The Bedrock model catalog shared by the fleet through Redis. libs/discovery's `createCatalog`
 * builds it; the dispatcher and the worker hosts take it (or the part they read) as an option.
 */
export interface Catalog {
  list(opts?: { includeFiltered?: boolean }): Promise<CatalogSnapshot>;
  get(modelId: string): Promise<CatalogEntry | undefined>;
  /** Asks Bedrock now (single-flight across processes) and rewrites the shared copy. */
  refresh(): Promise<CatalogSnapshot>;
  /**
   * Marks a model unavailable for every process for `unavailableTtlSeconds` (or until the next
   * refresh, whichever comes first). Marking it again restarts the period.
   */
  markUnavailable(modelId: string, reason: string): Promise<void>;
  /** The models marked unavailable right now, read from Redis (expired marks left out). */
  marks(): Promise<UnavailableMark[]>;
  /** Resolves when no background refresh started by this instance is running. */
  idle(): Promise<void>;
}
