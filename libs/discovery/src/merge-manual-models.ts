import type { ManualModelConfig } from '@turnpool/config';
import type { CatalogEntry } from '@turnpool/protocol';
import { lookupKnownLimits, stripProfilePrefix, withDocumentInput } from './known-limits.ts';
import { profileGeography } from './profile-geography.ts';

/**
 * Configured models (`models.providers['amazon-bedrock'].models`) over discovered ones: a
 * configured field wins, a missing one keeps the discovered value (else the known-limits
 * table, else the defaults); the entry becomes `source: 'configured'`. A configured `input`
 * (OpenClaw's vocabulary: text, image) gains `document` by the family rule (`withDocumentInput`).
 * Configured ids that discovery did not find are added (the OpenClaw manual setup works
 * without discovery).
 */
export function mergeManualModels(
  discovered: readonly CatalogEntry[],
  manual: readonly ManualModelConfig[],
  defaults: { contextWindow: number; maxTokens: number },
): CatalogEntry[] {
  const byId = new Map(discovered.map((e) => [e.id, e] as const));
  const order = discovered.map((e) => e.id);
  for (const m of manual) {
    const existing = byId.get(m.id);
    const known = lookupKnownLimits(m.id);
    const base = existing ?? configuredOnly(m.id, known, defaults);
    const ctxKnown = m.contextWindow !== undefined || base.limitsKnown;
    const maxKnown = m.maxTokens !== undefined || base.limitsKnown;
    byId.set(m.id, {
      ...base,
      name: m.name ?? base.name,
      reasoning: m.reasoning ?? base.reasoning,
      input: m.input ? withDocumentInput(m.input, m.id) : base.input,
      ...(m.cost ? { cost: { ...m.cost } } : {}),
      contextWindow: m.contextWindow ?? base.contextWindow,
      maxTokens: m.maxTokens ?? base.maxTokens,
      limitsKnown: ctxKnown && maxKnown,
      source: 'configured',
    });
    if (!existing) order.push(m.id);
  }
  return order.map((id) => byId.get(id)).filter((e): e is CatalogEntry => e !== undefined);
}

function configuredOnly(
  id: string,
  known: ReturnType<typeof lookupKnownLimits>,
  defaults: { contextWindow: number; maxTokens: number },
): CatalogEntry {
  const baseModelId = stripProfilePrefix(id);
  const geography = baseModelId !== id ? profileGeography(id) : undefined;
  return {
    id,
    name: id,
    provider: baseModelId.split('.')[0] ?? '',
    contextWindow: known?.contextWindow ?? defaults.contextWindow,
    maxTokens: known?.maxTokens ?? defaults.maxTokens,
    reasoning: known?.reasoning ?? false,
    input: withDocumentInput(['text'], id),
    limitsKnown: known !== undefined,
    available: true,
    source: 'configured',
    baseModelId,
    ...(geography ? { profile: { id, arn: '', name: id, geography } } : {}),
    supportsPromptCache: known?.supportsPromptCache ?? false,
    streaming: true,
  };
}
