import { describe, expect, it } from 'vitest';
import { TurnError, type ResolvedModel, type TurnRequest } from '@turnpool/protocol';
import { resolveFallbacks } from './resolve-fallbacks.ts';

const model = (id: string, extra: Partial<ResolvedModel> = {}): ResolvedModel => ({
  ref: `amazon-bedrock/${id}`,
  modelId: id,
  baseModelId: id,
  provider: 'anthropic',
  region: 'us-east-1',
  contextWindow: 200_000,
  maxTokens: 8192,
  reasoning: false,
  input: ['text', 'image', 'document'],
  supportsPromptCache: false,
  ...extra,
});
const table = new Map(
  [model('primary'), model('global.primary'), model('text-only', { input: ['text'] }), model('tiny', { contextWindow: 10 })].map((m) => [
    m.ref,
    m,
  ]),
);
const resolve = async (ref: string | undefined): Promise<ResolvedModel> => {
  const m = table.get(ref ?? '');
  if (!m) throw new TurnError('model_not_found', `Unknown model ${ref}.`, { field: 'model' });
  return m;
};
const withImage: TurnRequest = {
  messages: [
    {
      role: 'user',
      content: [
        { text: 'what is in this picture, described at some length please' },
        { image: { format: 'png', source: { bytes: 'iVBORw0KGgo=' } } },
      ],
    },
  ],
} as TurnRequest;

describe('resolveFallbacks', () => {
  it('never keeps a model that lacks an input kind of the turn, cannot fit its input, or is the primary', async () => {
    const refs = ['amazon-bedrock/text-only', 'amazon-bedrock/tiny', 'amazon-bedrock/primary', 'amazon-bedrock/global.primary'];
    const out = await resolveFallbacks({ ...withImage, fallbacks: refs }, model('primary'), resolve, []);
    expect(out.map((m) => m.modelId)).toEqual(['global.primary']);
  });

  it("the request's own unknown fallback is an error naming the field; a configured one is skipped", async () => {
    await expect(
      resolveFallbacks({ ...withImage, fallbacks: ['amazon-bedrock/nope'] }, model('primary'), resolve, []),
    ).rejects.toMatchObject({ code: 'model_not_found', field: 'fallbacks[0]' });
    const out = await resolveFallbacks(withImage, model('primary'), resolve, ['amazon-bedrock/nope', 'amazon-bedrock/global.primary']);
    expect(out.map((m) => m.modelId)).toEqual(['global.primary']);
  });

  it('an empty list in the request turns the configured fallbacks off', async () => {
    expect(await resolveFallbacks({ ...withImage, fallbacks: [] }, model('primary'), resolve, ['amazon-bedrock/global.primary'])).toEqual(
      [],
    );
  });
});
