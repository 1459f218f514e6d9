import { TurnError, type CatalogEntry, type ResolvedModel } from '@turnpool/protocol';
import type { ModelResolver } from './model-resolver.ts';

/** The part of a catalog entry the resolver reads (the protocol's CatalogEntry). */
export type CatalogEntryLike = Pick<
  CatalogEntry,
  | 'id'
  | 'name'
  | 'provider'
  | 'contextWindow'
  | 'maxTokens'
  | 'reasoning'
  | 'input'
  | 'cost'
  | 'available'
  | 'unavailableReason'
  | 'unavailableUntil'
  | 'baseModelId'
  | 'supportsPromptCache'
  | 'streaming'
>;

/** The part of the shared catalog the resolver needs (libs/discovery's Catalog fits). */
export interface CatalogLike {
  list(): Promise<{ entries: CatalogEntryLike[] }>;
}

export interface CatalogModelResolverOptions {
  catalog: CatalogLike;
  /** `agents.defaults.model.primary`, used when a request names no model. */
  defaultModel?: string;
  /** The region turns run in. */
  region: string;
  /**
   * Model names clients send in place of a ref (config `dispatcher.modelAliases`, e.g.
   * `gpt-4o` → `amazon-bedrock/<id>`): an exact match is replaced by its ref before resolving.
   * @defaultValue {}
   */
  aliases?: Readonly<Record<string, string>>;
}

const providerPrefix = 'amazon-bedrock/';

/**
 * Resolves a configured alias, `amazon-bedrock/<id>`, a bare model or profile id, or a catalog
 * name (case-insensitive) against the shared catalog. Unknown -> model_not_found naming the model and pointing at
 * `turnpool models list`; marked unavailable -> model_unavailable with the reason, when the mark
 * expires, and that `turnpool models refresh` clears it.
 */
export function createCatalogModelResolver(opts: CatalogModelResolverOptions): ModelResolver {
  const aliases = new Map(Object.entries(opts.aliases ?? {}));
  return async (ref) => {
    const given = ref ?? opts.defaultModel;
    const requested = given !== undefined && aliases.has(given) ? aliases.get(given) : given;
    if (requested === undefined || requested === '') {
      throw new TurnError('invalid_request', 'No model given and no default model configured (agents.defaults.model.primary).', {
        field: 'model',
      });
    }
    const id = requested.startsWith(providerPrefix) ? requested.slice(providerPrefix.length) : requested;
    const { entries } = await opts.catalog.list();
    const lower = id.toLowerCase();
    const entry = entries.find((e) => e.id === id) ?? entries.find((e) => e.name.toLowerCase() === lower);
    if (!entry) {
      const hint = entries.find((e) => e.baseModelId === id);
      const extra = hint ? ` This model runs through an inference profile: use "${providerPrefix}${hint.id}".` : '';
      throw new TurnError(
        'model_not_found',
        `Unknown model "${requested.slice(0, 200)}".${extra} Run \`turnpool models list\` for the models you can use.`,
        { field: 'model' },
      );
    }
    if (!entry.available) {
      const until = entry.unavailableUntil;
      const expiry =
        until === undefined
          ? 'It was marked unavailable at run time'
          : `The mark expires at ${new Date(until).toISOString()} (in ${Math.max(1, Math.ceil((until - Date.now()) / 1000))} s)`;
      throw new TurnError(
        'model_unavailable',
        `Model "${entry.id}" is unavailable: ${(entry.unavailableReason ?? 'access denied').replace(/\.+$/, '')}. ${expiry}; \`turnpool models refresh\` clears it now.`,
        { field: 'model' },
      );
    }
    if (!entry.streaming) {
      throw new TurnError('model_not_streaming', `Model "${entry.id}" does not support streaming.`, { field: 'model' });
    }
    const model: ResolvedModel = {
      ref: requested.startsWith(providerPrefix) ? requested : `${providerPrefix}${entry.id}`,
      modelId: entry.id,
      baseModelId: entry.baseModelId,
      provider: entry.provider.toLowerCase(),
      region: opts.region,
      contextWindow: entry.contextWindow,
      maxTokens: entry.maxTokens,
      reasoning: entry.reasoning,
      input: [...entry.input],
      supportsPromptCache: entry.supportsPromptCache,
    };
    if (entry.cost) model.cost = { ...entry.cost };
    return model;
  };
}
