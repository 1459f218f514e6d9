import type { TurnRequest } from '@turnpool/protocol';
import { describe, expect, it } from 'vitest';
import { createCatalogModelResolver, type CatalogEntryLike } from './catalog-model-resolver.ts';

const entry: CatalogEntryLike = {
  id: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  name: 'Claude Haiku 4.5',
  provider: 'Anthropic',
  contextWindow: 200_000,
  maxTokens: 64_000,
  reasoning: true,
  input: ['text'],
  available: true,
  baseModelId: 'anthropic.claude-haiku-4-5-20251001-v1:0',
  supportsPromptCache: true,
  streaming: true,
};

const request: TurnRequest = { messages: [{ role: 'user', content: [{ text: 'hi' }] }] };

describe('createCatalogModelResolver: model_unavailable', () => {
  it('composes the stored reason (a whole message ending in a period, as the worker stores it) without a doubled period', async () => {
    // What the worker passes to markUnavailable after an AccessDeniedException at invoke time: the turn error's message.
    const reason =
      `Access denied to ${entry.id} (You don't have access to the model with the specified model ID). Grant the IAM ` +
      'permission bedrock:InvokeModelWithResponseStream for this model, and enable access to the model in the Amazon Bedrock console under "Model access".';
    const resolve = createCatalogModelResolver({
      region: 'us-east-1',
      catalog: { list: async () => ({ entries: [{ ...entry, available: false, unavailableReason: reason }] }) },
    });
    const err = await resolve(`amazon-bedrock/${entry.id}`, request).then(
      () => undefined,
      (e: unknown) => e as Error & { code: string },
    );
    expect(err?.code).toBe('model_unavailable');
    expect(err?.message).toBe(
      `Model "${entry.id}" is unavailable: ${reason} It was marked unavailable at run time; \`turnpool models refresh\` clears it now.`,
    );
    expect(err?.message).not.toMatch(/[^\s.]\.\.(?!\.)/);
  });

  it('ends a reason without a period with one', async () => {
    const resolve = createCatalogModelResolver({
      region: 'us-east-1',
      catalog: { list: async () => ({ entries: [{ ...entry, available: false }] }) },
    });
    await expect(resolve(entry.id, request)).rejects.toThrow(`Model "${entry.id}" is unavailable: access denied.`);
  });
});

describe('createCatalogModelResolver: aliases', () => {
  const catalog = { list: async () => ({ entries: [entry] }) };
  it('replaces an exact alias by its ref, and leaves other names to the catalog', async () => {
    const resolve = createCatalogModelResolver({ region: 'us-east-1', catalog, aliases: { 'gpt-4o': `amazon-bedrock/${entry.id}` } });
    expect(await resolve('gpt-4o', request)).toMatchObject({ ref: `amazon-bedrock/${entry.id}`, modelId: entry.id });
    expect(await resolve('claude haiku 4.5', request)).toMatchObject({ modelId: entry.id });
    await expect(resolve('GPT-4O', request)).rejects.toMatchObject({ code: 'model_not_found', field: 'model' });
  });

  it('applies to the default model too, and an alias to an unknown ref is model_not_found', async () => {
    const resolve = createCatalogModelResolver({
      region: 'us-east-1',
      catalog,
      defaultModel: 'fast',
      aliases: { fast: `amazon-bedrock/${entry.id}`, old: 'amazon-bedrock/gone-v1' },
    });
    expect(await resolve(undefined, request)).toMatchObject({ modelId: entry.id });
    await expect(resolve('old', request)).rejects.toMatchObject({ code: 'model_not_found' });
  });
});
