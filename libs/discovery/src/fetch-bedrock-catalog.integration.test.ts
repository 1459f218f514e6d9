import { BedrockClient } from '@aws-sdk/client-bedrock';
import { startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fetchBedrockCatalog } from './fetch-bedrock-catalog.ts';

let emulator: EmulatorHandle;
let control: BedrockClient;
beforeAll(async () => {
  emulator = await startEmulator();
  control = new BedrockClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    maxAttempts: 1,
    credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
  });
});
afterAll(async () => {
  control.destroy();
  await emulator.close();
});
beforeEach(() => emulator.reset());

describe('fetchBedrockCatalog', () => {
  it('reads every page of ListInferenceProfiles, in parallel with ListFoundationModels', async () => {
    const all = await fetchBedrockCatalog(control);
    const paged = await fetchBedrockCatalog(control, { profilePageSize: 2 });
    expect(paged.profiles.map((p) => p.inferenceProfileId)).toEqual(all.profiles.map((p) => p.inferenceProfileId));
    expect(all.profiles.length).toBeGreaterThan(4);
    expect(emulator.stats().calls.ListInferenceProfiles).toBe(1 + Math.ceil(all.profiles.length / 2));
    expect(emulator.stats().calls.ListFoundationModels).toBe(2);
  });

  it('stops after maxProfilePages (a token that never ends cannot loop discovery)', async () => {
    const r = await fetchBedrockCatalog(control, { profilePageSize: 1, maxProfilePages: 3 });
    expect(r.profiles).toHaveLength(3);
  });

  it('region scoping comes from Bedrock: the emulator answers us-east-1 with us. and global. profiles', async () => {
    const r = await fetchBedrockCatalog(control);
    expect(new Set(r.profiles.map((p) => p.inferenceProfileId?.split('.')[0]))).toEqual(new Set(['us', 'global']));
  });
});
