import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mapCatalog, type RawFoundationModel, type RawInferenceProfile } from './map-catalog.ts';

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`./__fixtures__/${name}`, import.meta.url), 'utf8')) as T;
const models = fixture<{ modelSummaries: RawFoundationModel[] }>('foundation-models.us-east-1.json').modelSummaries;
const profiles = fixture<{ inferenceProfileSummaries: RawInferenceProfile[] }>(
  'inference-profiles.us-east-1.json',
).inferenceProfileSummaries;
const defaults = { defaultContextWindow: 32_000, defaultMaxTokens: 4_096 };
const usEast = mapCatalog({ models, profiles, region: 'us-east-1', ...defaults });
const ids = (r: { entries: { id: string }[] }) => r.entries.map((e) => e.id);
const reasonOf = (id: string) => usEast.filtered.find((f) => f.id === id)?.reason;

describe('mapCatalog on the wire doc fixture (us-east-1)', () => {
  it('lists exactly the streaming TEXT models, profile-only ones by their us./global. profile ids', () => {
    expect(ids(usEast)).toEqual([
      'anthropic.claude-3-haiku-20240307-v1:0',
      'anthropic.claude-3-5-sonnet-20240620-v1:0',
      'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
      'us.anthropic.claude-sonnet-4-20250514-v1:0',
      'us.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'global.anthropic.claude-haiku-4-5-20251001-v1:0',
      'anthropic.claude-v2:1',
      'amazon.nova-pro-v1:0',
      'us.amazon.nova-pro-v1:0',
      'amazon.nova-micro-v1:0',
      'us.amazon.nova-micro-v1:0',
      'amazon.titan-text-express-v1',
      'meta.llama3-8b-instruct-v1:0',
      'us.meta.llama3-3-70b-instruct-v1:0',
      'mistral.mistral-large-2402-v1:0',
      'mistral.mistral-7b-instruct-v0:2',
      'cohere.command-r-plus-v1:0',
      'us.deepseek.r1-v1:0',
    ]);
  });

  it('never offers a bare id that cannot run on demand (profile-only models are offered by profile id)', () => {
    for (const bare of ['anthropic.claude-3-7-sonnet-20250219-v1:0', 'anthropic.claude-sonnet-4-5-20250929-v1:0', 'deepseek.r1-v1:0']) {
      expect(ids(usEast)).not.toContain(bare);
    }
  });

  it('drops PROVISIONED-only variants, embeddings, image models and non-streaming ones, with reasons', () => {
    expect(reasonOf('anthropic.claude-3-haiku-20240307-v1:0:48k')).toBe('provisioned throughput only');
    expect(reasonOf('amazon.titan-embed-text-v2:0')).toBe('output is EMBEDDING, not TEXT');
    expect(reasonOf('amazon.nova-canvas-v1:0')).toBe('output is IMAGE, not TEXT');
    expect(reasonOf('cohere.embed-english-v3')).toBe('output is EMBEDDING, not TEXT');
    expect(usEast.filtered).toHaveLength(5);
  });

  it('keeps LEGACY models (still invocable) and says so', () => {
    const legacy = usEast.entries.find((e) => e.id === 'anthropic.claude-3-5-sonnet-20240620-v1:0');
    expect(legacy?.lifecycle).toBe('LEGACY');
  });

  it('a profile inherits its base model capabilities and says which profile it is', () => {
    const p = usEast.entries.find((e) => e.id === 'us.anthropic.claude-3-7-sonnet-20250219-v1:0');
    expect(p).toMatchObject({
      name: 'US Anthropic Claude 3.7 Sonnet',
      provider: 'Anthropic',
      baseModelId: 'anthropic.claude-3-7-sonnet-20250219-v1:0',
      contextWindow: 200_000,
      maxTokens: 64_000,
      reasoning: true,
      input: ['text', 'image', 'document'],
      limitsKnown: true,
      supportsPromptCache: true,
      streaming: true,
      available: true,
      source: 'discovered',
      profile: {
        id: 'us.anthropic.claude-3-7-sonnet-20250219-v1:0',
        geography: 'us',
        arn: 'arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.anthropic.claude-3-7-sonnet-20250219-v1:0',
      },
    });
    expect(usEast.entries.find((e) => e.id === 'us.amazon.nova-pro-v1:0')?.input).toEqual(['text', 'image', 'video', 'document']);
  });

  it('documents: Bedrock lists none, so known families that take them get `document`, Nova Micro / Titan Premier do not', () => {
    const inputOf = (id: string) => usEast.entries.find((e) => e.id === id)?.input;
    for (const id of [
      'anthropic.claude-3-haiku-20240307-v1:0',
      'us.anthropic.claude-haiku-4-5-20251001-v1:0',
      'anthropic.claude-v2:1',
      'amazon.titan-text-express-v1',
      'meta.llama3-8b-instruct-v1:0',
      'mistral.mistral-large-2402-v1:0',
      'cohere.command-r-plus-v1:0',
      'us.deepseek.r1-v1:0',
    ]) {
      expect(inputOf(id), id).toContain('document');
    }
    expect(inputOf('amazon.nova-micro-v1:0')).toEqual(['text']);
    expect(inputOf('us.amazon.nova-micro-v1:0')).toEqual(['text']);
    const premier = mapCatalog({
      models: [
        {
          modelId: 'amazon.titan-text-premier-v1:0',
          providerName: 'Amazon',
          inputModalities: ['TEXT'],
          outputModalities: ['TEXT'],
          responseStreamingSupported: true,
          inferenceTypesSupported: ['ON_DEMAND'],
        },
      ],
      profiles: [],
      region: 'us-east-1',
      ...defaults,
    });
    expect(premier.entries[0]?.input).toEqual(['text']);
  });

  it('an unknown family is permissive about documents (Bedrock decides), and flagged limitsKnown: false', () => {
    const r = mapCatalog({
      models: [
        {
          modelId: 'newco.chat-v1:0',
          providerName: 'NewCo',
          inputModalities: ['TEXT', 'IMAGE'],
          outputModalities: ['TEXT'],
          responseStreamingSupported: true,
          inferenceTypesSupported: ['ON_DEMAND'],
        },
      ],
      profiles: [],
      region: 'us-east-1',
      ...defaults,
    });
    expect(r.entries[0]).toMatchObject({ input: ['text', 'image', 'document'], limitsKnown: false });
  });

  it('known families get real limits; every entry of this fixture is known', () => {
    const by = (id: string) => usEast.entries.find((e) => e.id === id);
    expect(by('anthropic.claude-3-haiku-20240307-v1:0')).toMatchObject({ contextWindow: 200_000, maxTokens: 4_096, reasoning: false });
    expect(by('amazon.nova-pro-v1:0')).toMatchObject({ contextWindow: 300_000, maxTokens: 5_000 });
    expect(by('meta.llama3-8b-instruct-v1:0')).toMatchObject({ contextWindow: 8_192 });
    expect(by('us.meta.llama3-3-70b-instruct-v1:0')).toMatchObject({ contextWindow: 128_000 });
    expect(by('cohere.command-r-plus-v1:0')).toMatchObject({ contextWindow: 128_000 });
    expect(by('us.deepseek.r1-v1:0')).toMatchObject({ reasoning: true, contextWindow: 128_000 });
    expect(usEast.entries.every((e) => e.limitsKnown)).toBe(true);
  });

  it('unknown families get the defaults, flagged limitsKnown: false', () => {
    const r = mapCatalog({
      region: 'us-east-1',
      profiles: [],
      defaultContextWindow: 50_000,
      defaultMaxTokens: 1_000,
      models: [
        {
          modelId: 'newco.model-x-v1:0',
          modelName: 'X',
          providerName: 'NewCo',
          outputModalities: ['TEXT'],
          inputModalities: ['TEXT'],
          responseStreamingSupported: true,
          inferenceTypesSupported: ['ON_DEMAND'],
        },
      ],
    });
    expect(r.entries[0]).toMatchObject({
      contextWindow: 50_000,
      maxTokens: 1_000,
      limitsKnown: false,
      reasoning: false,
      lifecycle: 'ACTIVE',
    });
  });

  it('providerFilter matches provider names case-insensitively', () => {
    const r = mapCatalog({ models, profiles, region: 'us-east-1', providerFilter: ['ANTHROPIC', 'mistral ai'], ...defaults });
    expect(new Set(r.entries.map((e) => e.provider))).toEqual(new Set(['Anthropic', 'Mistral AI']));
    expect(r.filtered.find((f) => f.id === 'amazon.nova-pro-v1:0')?.reason).toBe('provider Amazon not in providerFilter');
  });

  it('uses the region geography: eu-* gets eu. and global. profiles, never us.', () => {
    const r = mapCatalog({ models, profiles, region: 'eu-central-1', ...defaults });
    expect(ids(r)).toContain('eu.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(ids(r)).toContain('global.anthropic.claude-sonnet-4-5-20250929-v1:0');
    expect(ids(r).filter((id) => id.startsWith('us.'))).toEqual([]);
    expect(r.filtered.find((f) => f.id === 'anthropic.claude-3-7-sonnet-20250219-v1:0')?.reason).toBe(
      'runs only through an inference profile, and none is listed for eu-central-1',
    );
  });

  it('ap-* uses apac. profiles', () => {
    const apac: RawInferenceProfile = {
      inferenceProfileId: 'apac.deepseek.r1-v1:0',
      inferenceProfileName: 'APAC DeepSeek-R1',
      models: [{ modelArn: 'arn:aws:bedrock:ap-south-1::foundation-model/deepseek.r1-v1:0' }],
      status: 'ACTIVE',
      type: 'SYSTEM_DEFINED',
    };
    const r = mapCatalog({ models, profiles: [...profiles, apac], region: 'ap-south-1', ...defaults });
    expect(ids(r)).toContain('apac.deepseek.r1-v1:0');
    expect(ids(r)).not.toContain('us.deepseek.r1-v1:0');
  });

  it('without profiles (AccessDenied) profile-only models are filtered with a reason', () => {
    const r = mapCatalog({ models, profiles: [], region: 'us-east-1', ...defaults });
    expect(ids(r).some((id) => id.includes('claude-sonnet-4'))).toBe(false);
    expect(r.filtered.some((f) => f.reason.startsWith('runs only through an inference profile'))).toBe(true);
  });

  it('a TEXT model without response streaming (false or absent) is left out', () => {
    const base = { outputModalities: ['TEXT'], inferenceTypesSupported: ['ON_DEMAND'], providerName: 'P' };
    const r = mapCatalog({
      region: 'us-east-1',
      profiles: [],
      ...defaults,
      models: [
        { ...base, modelId: 'p.a', responseStreamingSupported: false },
        { ...base, modelId: 'p.b' },
      ],
    });
    expect(r.entries).toEqual([]);
    expect(r.filtered.map((f) => f.reason)).toEqual(['no response streaming', 'no response streaming']);
  });

  it('lifecycle states other than ACTIVE / LEGACY are left out; a missing lifecycle counts as ACTIVE', () => {
    const base = {
      outputModalities: ['TEXT'],
      inferenceTypesSupported: ['ON_DEMAND'],
      providerName: 'P',
      responseStreamingSupported: true,
    };
    const r = mapCatalog({
      region: 'us-east-1',
      profiles: [],
      ...defaults,
      models: [
        { ...base, modelId: 'p.eol', modelLifecycle: { status: 'END_OF_LIFE' } },
        { ...base, modelId: 'p.none' },
      ],
    });
    expect(ids(r)).toEqual(['p.none']);
    expect(r.filtered[0]?.reason).toBe('lifecycle END_OF_LIFE');
  });

  it('profiles that are not ACTIVE, not SYSTEM_DEFINED or of another geography are ignored', () => {
    const base = {
      modelId: 'anthropic.claude-sonnet-4-20250514-v1:0',
      outputModalities: ['TEXT'],
      inferenceTypesSupported: ['INFERENCE_PROFILE'],
      providerName: 'Anthropic',
      responseStreamingSupported: true,
    };
    const arn = [{ modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0' }];
    const r = mapCatalog({
      region: 'us-east-1',
      ...defaults,
      models: [base],
      profiles: [
        { inferenceProfileId: 'us.a', models: arn, status: 'DISABLED' },
        { inferenceProfileId: 'us.b', models: arn, type: 'APPLICATION' },
        { inferenceProfileId: 'eu.c', models: arn },
        { inferenceProfileId: 'us.d', models: arn },
      ],
    });
    expect(ids(r)).toEqual(['us.d']);
  });

  it('discovered entries carry no cost: unknown, never 0', () => {
    expect(usEast.entries.every((e) => e.cost === undefined)).toBe(true);
  });

  it('is lenient with hostile or malformed Bedrock data', () => {
    const hostile = [
      {},
      { modelId: 42 },
      { modelId: 'x'.repeat(300) },
      {
        modelId: '__proto__',
        outputModalities: ['TEXT'],
        responseStreamingSupported: true,
        inferenceTypesSupported: ['ON_DEMAND'],
        inputModalities: ['__proto__', 'constructor', 'TEXT'],
      },
      { modelId: 'weird.m', outputModalities: 'TEXT', responseStreamingSupported: 'yes' },
    ] as unknown as RawFoundationModel[];
    const badProfiles = [
      { inferenceProfileId: 'us.__proto__', models: 'nope' },
      { models: [{ modelArn: 7 }] },
      null,
    ] as unknown as RawInferenceProfile[];
    const r = mapCatalog({ models: hostile, profiles: badProfiles.filter(Boolean), region: 'us-east-1', ...defaults });
    expect(ids(r)).toEqual(['__proto__']);
    expect(r.entries[0]?.input).toEqual(['text', 'document']);
    expect(r.filtered.map((f) => f.id)).toEqual(['weird.m']);
  });
});
