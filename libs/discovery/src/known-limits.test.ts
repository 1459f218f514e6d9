import { describe, expect, it } from 'vitest';
import { acceptsDocuments, lookupKnownLimits, stripProfilePrefix, withDocumentInput } from './known-limits.ts';
import { geographiesForRegion } from './profile-geography.ts';

describe('lookupKnownLimits', () => {
  it.each([
    ['anthropic.claude-3-haiku-20240307-v1:0', 200_000, 4_096, false, false],
    ['anthropic.claude-3-5-haiku-20241022-v1:0', 200_000, 8_192, false, true],
    ['anthropic.claude-3-5-sonnet-20241022-v2:0', 200_000, 8_192, false, false],
    ['anthropic.claude-3-7-sonnet-20250219-v1:0', 200_000, 64_000, true, true],
    ['anthropic.claude-sonnet-4-20250514-v1:0', 200_000, 64_000, true, true],
    ['anthropic.claude-opus-4-1-20250805-v1:0', 200_000, 32_000, true, true],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', 200_000, 64_000, true, true],
    ['global.anthropic.claude-haiku-4-5-20251001-v1:0', 200_000, 64_000, true, true],
    ['anthropic.claude-opus-4-5-20251101-v1:0', 200_000, 64_000, true, true],
    ['amazon.nova-lite-v1:0', 300_000, 5_000, false, true],
    ['amazon.titan-text-express-v1', 8_192, 8_192, false, false],
    ['meta.llama3-1-70b-instruct-v1:0', 128_000, 2_048, false, false],
    ['mistral.mistral-large-2407-v1:0', 128_000, 8_192, false, false],
    ['cohere.command-r-v1:0', 128_000, 4_096, false, false],
    ['deepseek.r1-v1:0', 128_000, 32_768, true, false],
  ])('%s -> %i / %i reasoning=%s cache=%s', (id, ctx, max, reasoning, cache) => {
    expect(lookupKnownLimits(id)).toMatchObject({ contextWindow: ctx, maxTokens: max, reasoning, supportsPromptCache: cache });
  });
  it('unknown -> undefined', () => {
    expect(lookupKnownLimits('newco.thing')).toBeUndefined();
  });
  it.each([
    ['anthropic.claude-3-haiku-20240307-v1:0', true],
    ['us.anthropic.claude-sonnet-4-5-20250929-v1:0', true],
    ['anthropic.claude-v2:1', true],
    ['amazon.nova-pro-v1:0', true],
    ['amazon.nova-lite-v1:0', true],
    ['amazon.nova-premier-v1:0', true],
    ['amazon.nova-micro-v1:0', false],
    ['amazon.titan-text-express-v1', true],
    ['amazon.titan-text-premier-v1:0', false],
    ['meta.llama3-1-70b-instruct-v1:0', true],
    ['mistral.mistral-7b-instruct-v0:2', true],
    ['cohere.command-r-v1:0', true],
    ['deepseek.r1-v1:0', true],
    ['newco.thing', true],
  ])('acceptsDocuments(%s) = %s (Converse "document chat"; unknown families are let through)', (id, expected) => {
    expect(acceptsDocuments(id)).toBe(expected);
  });
  it('withDocumentInput adds document once, never for a family without it', () => {
    expect(withDocumentInput(['text', 'image'], 'anthropic.claude-3-haiku-20240307-v1:0')).toEqual(['text', 'image', 'document']);
    expect(withDocumentInput(['text', 'document'], 'anthropic.claude-3-haiku-20240307-v1:0')).toEqual(['text', 'document']);
    expect(withDocumentInput(['text'], 'us.amazon.nova-micro-v1:0')).toEqual(['text']);
  });
  it('strips only geography prefixes', () => {
    expect(stripProfilePrefix('apac.amazon.nova-pro-v1:0')).toBe('amazon.nova-pro-v1:0');
    expect(stripProfilePrefix('amazon.nova-pro-v1:0')).toBe('amazon.nova-pro-v1:0');
  });
});

describe('geographiesForRegion', () => {
  it.each([
    ['us-east-1', ['us', 'global']],
    ['us-west-2', ['us', 'global']],
    ['eu-west-3', ['eu', 'global']],
    ['ap-south-1', ['apac', 'global']],
    ['ap-northeast-1', ['apac', 'jp', 'global']],
    ['ap-southeast-2', ['apac', 'au', 'global']],
    ['us-gov-west-1', ['us-gov', 'global']],
  ])('%s -> %j', (region, geos) => {
    expect(geographiesForRegion(region)).toEqual(geos);
  });
});
