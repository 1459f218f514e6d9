import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '@turnpool/protocol';
import { mergeManualModels } from './merge-manual-models.ts';

const defaults = { contextWindow: 32_000, maxTokens: 4_096 };
const discovered: CatalogEntry = {
  id: 'newco.x-v1:0',
  name: 'X',
  provider: 'NewCo',
  contextWindow: 32_000,
  maxTokens: 4_096,
  reasoning: false,
  input: ['text'],
  limitsKnown: false,
  available: true,
  source: 'discovered',
  baseModelId: 'newco.x-v1:0',
  supportsPromptCache: false,
  streaming: true,
};

describe('mergeManualModels', () => {
  it('configured fields win, the entry becomes source configured and limits known when both are given', () => {
    const [e] = mergeManualModels(
      [discovered],
      [{ id: 'newco.x-v1:0', name: 'X (mine)', contextWindow: 100_000, maxTokens: 8_000, reasoning: true, cost: { input: 1, output: 2 } }],
      defaults,
    );
    expect(e).toMatchObject({
      name: 'X (mine)',
      contextWindow: 100_000,
      maxTokens: 8_000,
      reasoning: true,
      limitsKnown: true,
      source: 'configured',
      cost: { input: 1, output: 2 },
      provider: 'NewCo',
    });
  });

  it('only one limit configured over a defaulted entry stays limitsKnown: false', () => {
    const [e] = mergeManualModels([discovered], [{ id: 'newco.x-v1:0', contextWindow: 100_000 }], defaults);
    expect(e).toMatchObject({ contextWindow: 100_000, maxTokens: 4_096, limitsKnown: false, source: 'configured' });
  });

  it('adds configured models discovery did not find (the OpenClaw manual example), known limits filling gaps', () => {
    const out = mergeManualModels(
      [discovered],
      [
        {
          id: 'anthropic.claude-opus-4-5-20251101-v1:0',
          name: 'Claude Opus 4.5 (Bedrock)',
          reasoning: true,
          input: ['text', 'image'],
          cost: { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 },
          contextWindow: 200_000,
          maxTokens: 8192,
        },
      ],
      defaults,
    );
    expect(out.map((e) => e.id)).toEqual(['newco.x-v1:0', 'anthropic.claude-opus-4-5-20251101-v1:0']);
    expect(out[1]).toMatchObject({
      provider: 'anthropic',
      maxTokens: 8192,
      limitsKnown: true,
      source: 'configured',
      supportsPromptCache: true,
    });
    // OpenClaw's `input` has no word for documents: Claude takes them, so they are added.
    expect(out[1]?.input).toEqual(['text', 'image', 'document']);
    const [p] = mergeManualModels([], [{ id: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' }], defaults);
    expect(p).toMatchObject({
      baseModelId: 'anthropic.claude-sonnet-4-5-20250929-v1:0',
      contextWindow: 200_000,
      limitsKnown: true,
      profile: { geography: 'us' },
    });
  });

  it('an unknown configured-only model gets the defaults, flagged', () => {
    const [e] = mergeManualModels([], [{ id: 'mystery.m' }], defaults);
    expect(e).toMatchObject({ contextWindow: 32_000, maxTokens: 4_096, limitsKnown: false, input: ['text', 'document'] });
    const [micro] = mergeManualModels([], [{ id: 'amazon.nova-micro-v1:0', input: ['text'] }], defaults);
    expect(micro?.input).toEqual(['text']);
  });

  it('hostile ids are plain ids', () => {
    const out = mergeManualModels([], [{ id: '__proto__' }, { id: 'constructor' }], defaults);
    expect(out.map((e) => e.id)).toEqual(['__proto__', 'constructor']);
  });
});
