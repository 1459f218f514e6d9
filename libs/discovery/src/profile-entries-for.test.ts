import { describe, expect, it } from 'vitest';
import type { CatalogEntry } from '@turnpool/protocol';
import { profileEntriesFor } from './profile-entries-for.ts';

const entry = (id: string, baseModelId: string, geography?: string): CatalogEntry => ({
  id,
  name: id,
  provider: 'Anthropic',
  contextWindow: 1,
  maxTokens: 1,
  reasoning: false,
  input: ['text'],
  limitsKnown: true,
  available: true,
  source: 'discovered',
  baseModelId,
  supportsPromptCache: false,
  streaming: true,
  ...(geography ? { profile: { id, arn: '', name: id, geography } } : {}),
});

describe('profileEntriesFor', () => {
  it('lists the profiles of a base model, regional before global', () => {
    const base = 'anthropic.claude-sonnet-4-5-20250929-v1:0';
    const entries = [entry(`global.${base}`, base, 'global'), entry(`us.${base}`, base, 'us'), entry('x', 'x'), entry(base, base)];
    expect(profileEntriesFor(entries, base).map((e) => e.id)).toEqual([`us.${base}`, `global.${base}`]);
    expect(profileEntriesFor(entries, 'none')).toEqual([]);
  });
});
