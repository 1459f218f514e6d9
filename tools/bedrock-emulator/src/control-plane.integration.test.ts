import {
  GetFoundationModelCommand,
  GetInferenceProfileCommand,
  ListFoundationModelsCommand,
  ListInferenceProfilesCommand,
  ResourceNotFoundException,
  ValidationException,
  type InferenceProfileSummary,
  type ListFoundationModelsCommandInput,
} from '@aws-sdk/client-bedrock';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from './start-emulator.ts';
import { testClients } from './test-clients.ts';

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator();
});
afterAll(async () => {
  await emu.close();
});

const control = (region = 'us-east-1') => testClients(emu.url, { region }).control;
const ids = async (input: ListFoundationModelsCommandInput) =>
  (await control().send(new ListFoundationModelsCommand(input))).modelSummaries?.map((m) => m.modelId) ?? [];

describe('ListFoundationModels', () => {
  it('lists the 21 fixture models with ARNs and parsed fields', async () => {
    const out = await control().send(new ListFoundationModelsCommand({}));
    expect(out.modelSummaries).toHaveLength(21);
    const haiku = out.modelSummaries?.[0];
    expect(haiku).toMatchObject({
      modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-haiku-20240307-v1:0',
      providerName: 'Anthropic',
      responseStreamingSupported: true,
      modelLifecycle: { status: 'ACTIVE' },
    });
  });

  it('filters by provider (case-insensitive), output modality, inference type and customization', async () => {
    expect(await ids({ byProvider: 'anthropic' })).toHaveLength(8);
    expect(await ids({ byProvider: 'Mistral AI' })).toEqual(['mistral.mistral-large-2402-v1:0', 'mistral.mistral-7b-instruct-v0:2']);
    expect(await ids({ byOutputModality: 'EMBEDDING' })).toEqual([
      'amazon.titan-embed-text-v2:0',
      'amazon.titan-embed-image-v1',
      'cohere.embed-english-v3',
    ]);
    expect(await ids({ byInferenceType: 'PROVISIONED' })).toEqual(['anthropic.claude-3-haiku-20240307-v1:0:48k']);
    expect(await ids({ byCustomizationType: 'FINE_TUNING' })).toEqual(['amazon.titan-text-express-v1']);
    expect(await ids({ byProvider: 'Amazon', byOutputModality: 'TEXT', byInferenceType: 'ON_DEMAND' })).toEqual([
      'amazon.nova-pro-v1:0',
      'amazon.nova-micro-v1:0',
      'amazon.titan-text-express-v1',
    ]);
  });

  it('rejects an invalid enum or provider pattern with ValidationException naming the parameter', async () => {
    await expect(ids({ byOutputModality: 'VIDEO' as 'TEXT' })).rejects.toThrow(ValidationException);
    await expect(ids({ byOutputModality: 'VIDEO' as 'TEXT' })).rejects.toThrow(/byOutputModality/);
    await expect(ids({ byInferenceType: 'SPOT' as 'ON_DEMAND' })).rejects.toThrow(/byInferenceType/);
    await expect(ids({ byCustomizationType: 'X' as 'FINE_TUNING' })).rejects.toThrow(/byCustomizationType/);
    await expect(ids({ byProvider: 'bad/provider' })).rejects.toThrow(/byProvider/);
  });
});

describe('GetFoundationModel', () => {
  it('returns modelDetails by id and by ARN; unknown -> ResourceNotFoundException', async () => {
    const byId = await control().send(new GetFoundationModelCommand({ modelIdentifier: 'amazon.nova-pro-v1:0' }));
    expect(byId.modelDetails?.inputModalities).toEqual(['TEXT', 'IMAGE', 'VIDEO']);
    const byArn = await control().send(
      new GetFoundationModelCommand({ modelIdentifier: 'arn:aws:bedrock:us-east-1::foundation-model/deepseek.r1-v1:0' }),
    );
    expect(byArn.modelDetails?.inferenceTypesSupported).toEqual(['INFERENCE_PROFILE']);
    await expect(control().send(new GetFoundationModelCommand({ modelIdentifier: 'nope.nope-v1' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('ListInferenceProfiles', () => {
  async function all(
    region: string,
    pageSize?: number,
    type?: 'SYSTEM_DEFINED' | 'APPLICATION',
  ): Promise<{ items: InferenceProfileSummary[]; pages: number }> {
    const items: InferenceProfileSummary[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const out = await control(region).send(new ListInferenceProfilesCommand({ maxResults: pageSize, nextToken, typeEquals: type }));
      items.push(...(out.inferenceProfileSummaries ?? []));
      nextToken = out.nextToken;
      pages++;
    } while (nextToken !== undefined && pages < 50);
    return { items, pages };
  }

  it('scopes by the SigV4 region: us-east-1 sees us.* and global.*', async () => {
    const { items, pages } = await all('us-east-1', 4);
    expect(pages).toBe(3);
    expect(items).toHaveLength(10);
    expect(items.every((p) => /^(us|global)\./.test(p.inferenceProfileId ?? ''))).toBe(true);
    expect(items[0]?.createdAt).toBeInstanceOf(Date);
    expect(items[0]?.models?.length).toBe(3);
  });

  it('scopes an EU region to eu.* and global.*, with ARNs in the caller region', async () => {
    const { items } = await all('eu-west-1');
    expect(items.map((p) => p.inferenceProfileId)).toEqual([
      'global.anthropic.claude-sonnet-4-5-20250929-v1:0',
      'global.anthropic.claude-haiku-4-5-20251001-v1:0',
      'eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
    ]);
    expect(items[2]?.inferenceProfileArn).toBe(
      'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-sonnet-4-5-20250929-v1:0',
    );
  });

  it('filters by type (sent as ?type=) and rejects bad maxResults / nextToken', async () => {
    expect((await all('us-east-1', undefined, 'APPLICATION')).items).toHaveLength(0);
    expect((await all('us-east-1', undefined, 'SYSTEM_DEFINED')).items).toHaveLength(10);
    await expect(control().send(new ListInferenceProfilesCommand({ maxResults: 0 }))).rejects.toThrow(/maxResults/);
    await expect(control().send(new ListInferenceProfilesCommand({ nextToken: 'garbage' }))).rejects.toThrow(/nextToken/);
  });
});

describe('GetInferenceProfile', () => {
  it('returns the summary flat, by id or ARN; invisible or unknown -> ResourceNotFoundException', async () => {
    const p = await control().send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'us.deepseek.r1-v1:0' }));
    expect(p).toMatchObject({ inferenceProfileName: 'US DeepSeek-R1', status: 'ACTIVE', type: 'SYSTEM_DEFINED' });
    const byArn = await control().send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: p.inferenceProfileArn }));
    expect(byArn.inferenceProfileId).toBe('us.deepseek.r1-v1:0');
    await expect(
      control().send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0' })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(control().send(new GetInferenceProfileCommand({ inferenceProfileIdentifier: 'us.nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });
});

describe('catalog file', () => {
  it('replaces the catalog at start and via configure(); bad files are named', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'emu-catalog-'));
    const file = join(dir, 'catalog.json');
    writeFileSync(
      file,
      JSON.stringify({
        modelSummaries: [
          { modelId: 'acme.tiny-v1:0', providerName: 'Acme', outputModalities: ['TEXT'], inferenceTypesSupported: ['ON_DEMAND'] },
        ],
        inferenceProfileSummaries: [
          { inferenceProfileId: 'us.acme.tiny-v1:0', models: [{ modelArn: 'arn:aws:bedrock:us-east-1::foundation-model/acme.tiny-v1:0' }] },
        ],
      }),
    );
    const own = await startEmulator({ catalogFile: file });
    try {
      const c = testClients(own.url).control;
      expect((await c.send(new ListFoundationModelsCommand({}))).modelSummaries?.map((m) => m.modelId)).toEqual(['acme.tiny-v1:0']);
      expect((await c.send(new ListInferenceProfilesCommand({}))).inferenceProfileSummaries?.[0]?.type).toBe('SYSTEM_DEFINED');
      own.reset();
      expect((await c.send(new ListFoundationModelsCommand({}))).modelSummaries).toHaveLength(1);
    } finally {
      await own.close();
    }
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ modelSummaries: [{ modelId: 'x' }] }));
    await expect(startEmulator({ catalogFile: bad })).rejects.toThrow(/modelSummaries\[0\]\.providerName/);
    writeFileSync(bad, '{not json');
    expect(() => emu.configure({ catalogFile: bad })).toThrow(/catalogFile: .*not valid JSON/);
    await expect(startEmulator({ catalogFile: join(dir, 'missing.json') })).rejects.toThrow(/catalogFile: cannot read/);
  });
});
