import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { defaultCatalog, startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import { detectCredentials } from '@turnpool/credentials';
import { createBedrockClients } from '@turnpool/credentials/clients';
import { createCatalog } from '@turnpool/discovery';
import { startDispatcher, type RunningDispatcher } from '@turnpool/dispatcher';
import type { TurnEndEvent, TurnEvent } from '@turnpool/protocol';
import { createTurnClient, type TurnClient } from '@turnpool/turn-store/client';
import { startWorkerHost, type WorkerHost } from '@turnpool/worker';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';

// Documents end to end: the catalog is discovered from the emulator (whose ListFoundationModels,
// like Bedrock's, never lists documents), the dispatcher accepts or refuses the turn, a worker
// host sends it, and the emulator (which checks the Converse document shape) answers.
const env = { AWS_ACCESS_KEY_ID: 'AKIAFAKEDOCSTEST1234', AWS_SECRET_ACCESS_KEY: 'fake-docs-secret-Zq8vW3xY9tK2', AWS_REGION: 'us-east-1' };
const claude = 'amazon-bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0';
const pdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n').toString('base64');

describe('document turns end to end: discovery -> dispatcher -> worker -> emulator', () => {
  const prefix = uniquePrefix('docs');
  const dir = mkdtempSync(join(tmpdir(), 'turnpool-docs-'));
  const saved = { ...process.env };
  let emulator: EmulatorHandle;
  let redis: Redis;
  let dispatcher: RunningDispatcher;
  let host: WorkerHost;
  let client: TurnClient;

  beforeAll(async () => {
    // The built-in catalog plus a family turnpool's known-limits table does not know.
    const builtIn = defaultCatalog();
    const catalogFile = join(dir, 'catalog.json');
    writeFileSync(
      catalogFile,
      JSON.stringify({
        modelSummaries: [
          ...builtIn.models,
          {
            modelId: 'newco.chat-v1:0',
            modelName: 'NewCo Chat',
            providerName: 'NewCo',
            inputModalities: ['TEXT'],
            outputModalities: ['TEXT'],
            responseStreamingSupported: true,
            inferenceTypesSupported: ['ON_DEMAND'],
          },
        ],
        inferenceProfileSummaries: builtIn.profiles,
      }),
    );
    emulator = await startEmulator({ ttftMs: 0, tokensPerSecond: 0, catalogFile });
    Object.assign(process.env, env);
    delete process.env['AWS_BEARER_TOKEN_BEDROCK'];
    delete process.env['AWS_PROFILE'];
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    const credentials = await detectCredentials({ env, probe: false });
    const { control } = createBedrockClients({ region: 'us-east-1', endpoint: emulator.url, credentials, env });
    const catalog = createCatalog({
      redis,
      keyPrefix: prefix,
      control,
      region: 'us-east-1',
      credentialsIdentity: credentials.identityHash,
      credentialsPresent: true,
    });
    dispatcher = await startDispatcher({ redisUrl: testRedisUrl(), keyPrefix: prefix, catalog, region: 'us-east-1', port: 0 });
    host = await startWorkerHost({
      redisUrl: testRedisUrl(),
      keyPrefix: prefix,
      maxThreads: 1,
      bedrockEndpoint: emulator.url,
      shutdownGraceMs: 1000,
    });
    client = createTurnClient({
      redis,
      keyPrefix: prefix,
      resolveModel: async () => {
        throw new Error('read-only client');
      },
    });
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await host?.close();
    await dispatcher?.close();
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
    process.env = saved;
  });

  const post = (body: object) =>
    fetch(`${dispatcher.url}/v1/turns`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const run = async (body: object): Promise<TurnEndEvent> => {
    const res = await post(body);
    expect(res.status).toBe(202);
    const { turnId } = (await res.json()) as { turnId: string };
    const events: TurnEvent[] = [];
    for await (const e of client.subscribeTurn(turnId)) events.push(e);
    const end = events.at(-1);
    expect(end?.type).toBe('turn-end');
    return end as TurnEndEvent;
  };
  const ask = (model: string, ...extra: object[]) => ({
    model,
    messages: [{ role: 'user', content: [{ text: 'Summarise the attachment. [[tokens 5]]' }, ...extra] }],
  });

  it('a Claude model from the discovered catalog takes a document: accepted, and the emulator receives it', async () => {
    const withDoc = await run(ask(claude, { document: { format: 'pdf', name: 'Quarterly report (v2)', data: pdf } }));
    const withText = await run(ask(claude, { document: { format: 'md', name: 'notes', text: '# Notes\n- one' } }));
    const without = await run(ask(claude));
    // The emulator bills 1000 input tokens per document block it received (docs/emulator.md), and
    // answers 400 ValidationException to a document that is not a valid Converse `document`.
    expect(withDoc.usage.inputTokens - without.usage.inputTokens).toBe(1000);
    expect(withText.usage.inputTokens - without.usage.inputTokens).toBe(1000);
    expect(withDoc.stopReason.unified).toBe('end_turn');
  });

  it('a family the Converse table marks without documents (Nova Micro) is refused with 422 naming the block', async () => {
    const res = await post(ask('amazon-bedrock/amazon.nova-micro-v1:0', { document: { format: 'txt', name: 'a', text: 'x' } }));
    expect(res.status).toBe(422);
    const { error } = (await res.json()) as { error: { code: string; field: string; message: string } };
    expect(error).toMatchObject({ code: 'unsupported_input', field: 'messages[0].content[1]' });
    expect(error.message).toContain('document');
  });

  it('a family turnpool does not know is not refused up front: Bedrock (here the emulator) decides', async () => {
    const end = await run(ask('amazon-bedrock/newco.chat-v1:0', { document: { format: 'txt', name: 'a', text: 'x' } }));
    expect(end.stopReason.unified).toBe('end_turn');
  });
});
