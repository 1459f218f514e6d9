import { describe, expect, it } from 'vitest';
import { isAnthropicModel } from './is-anthropic-model.ts';

describe('isAnthropicModel', () => {
  it.each([
    [{ provider: 'anthropic', baseModelId: 'x', modelId: 'x' }, true],
    [{ provider: 'Anthropic', baseModelId: 'x', modelId: 'x' }, true],
    [{ provider: '', baseModelId: 'anthropic.claude-3-haiku-20240307-v1:0', modelId: 'x' }, true],
    [{ provider: '', baseModelId: 'x', modelId: 'us.anthropic.claude-sonnet-4-5-20250929-v1:0' }, true],
    [
      {
        provider: '',
        baseModelId: 'x',
        modelId: 'arn:aws:bedrock:us-east-1:1:inference-profile/global.anthropic.claude-opus-4-5-20251101-v1:0',
      },
      true,
    ],
    [{ provider: 'amazon', baseModelId: 'amazon.nova-lite-v1:0', modelId: 'us.amazon.nova-lite-v1:0' }, false],
    [{ provider: 'deepseek', baseModelId: 'deepseek.r1-v1:0', modelId: 'us.deepseek.r1-v1:0' }, false],
  ])('%j -> %s', (model, expected) => {
    expect(isAnthropicModel(model)).toBe(expected);
  });
});
