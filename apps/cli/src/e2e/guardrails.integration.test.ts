import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { startEmulator, type EmulatorHandle } from '@turnpool/bedrock-emulator';
import { parseConfigText } from '@turnpool/config';
import type { ResolvedModel, TurnEndEvent, TurnEvent } from '@turnpool/protocol';
import { createTurnClient, type TurnClient } from '@turnpool/turn-store/client';
import { startWorkerHost, type WorkerHost } from '@turnpool/worker';
import { cleanupPrefix, testRedisUrl, uniquePrefix } from '@turnpool/testing';
import { workerOptionsFromConfig } from '../stack/worker-options-from-config.ts';

// Guardrails end to end: the default guardrail comes from the config file (OpenClaw's
// plugins.entries["amazon-bedrock"].config.guardrail), reaches the worker threads through the
// host options, goes to ConverseStream, and the emulator's intervention comes back as a
// content-filter stop with the guardrail trace in turn-end — in Redis, for every subscriber.
const haiku: ResolvedModel = {
  ref: 'amazon-bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0',
  modelId: 'us.anthropic.claude-haiku-4-5-20251001-v1:0',
  baseModelId: 'anthropic.claude-haiku-4-5-20251001-v1:0',
  provider: 'anthropic',
  region: 'us-east-1',
  contextWindow: 200_000,
  maxTokens: 64_000,
  reasoning: true,
  input: ['text', 'image', 'document'],
  supportsPromptCache: true,
};

describe('guardrails end to end: config -> worker threads -> ConverseStream -> emulator -> turn-end', () => {
  const prefix = uniquePrefix('guardrail');
  const saved = { ...process.env };
  let emulator: EmulatorHandle;
  let redis: Redis;
  let host: WorkerHost;
  let client: TurnClient;

  beforeAll(async () => {
    emulator = await startEmulator({ ttftMs: 0, tokensPerSecond: 0 });
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'AKIAFAKEGUARDTEST123',
      AWS_SECRET_ACCESS_KEY: 'fake-guardrail-secret-Zq8vW3',
      AWS_REGION: 'us-east-1',
    });
    delete process.env['AWS_BEARER_TOKEN_BEDROCK'];
    delete process.env['AWS_PROFILE'];
    const { config } = parseConfigText(
      `{
      redis: { keyPrefix: "${prefix}" },
      models: { providers: { "amazon-bedrock": { baseUrl: "${emulator.url}" } } },
      plugins: { entries: { "amazon-bedrock": { config: {
        guardrail: { guardrailIdentifier: "cfgguard1", guardrailVersion: "3", trace: "enabled", streamProcessingMode: "sync" },
      } } } },
    }`,
      { file: 'turnpool.json5' },
    );
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    host = await startWorkerHost({
      ...workerOptionsFromConfig(config, testRedisUrl()),
      minThreads: 1,
      maxThreads: 1,
      shutdownGraceMs: 1000,
    });
    client = createTurnClient({ redis, keyPrefix: prefix, resolveModel: async () => haiku });
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await host?.close();
    await cleanupPrefix(redis, prefix);
    redis.disconnect();
    await emulator?.close();
    process.env = saved;
  });

  const run = async (body: object): Promise<{ events: TurnEvent[]; end: TurnEndEvent }> => {
    const { turnId } = await client.submitTurn(body);
    const events: TurnEvent[] = [];
    for await (const e of client.subscribeTurn(turnId)) events.push(e);
    const end = events.at(-1);
    expect(end?.type).toBe('turn-end');
    expect((await client.getTurn(turnId))?.result?.guardrailTrace).toEqual((end as TurnEndEvent).guardrailTrace);
    return { events, end: end as TurnEndEvent };
  };
  const say = (text: string, extra: object = {}) => ({ model: haiku.ref, messages: [{ role: 'user', content: [{ text }] }], ...extra });

  it('the configured guardrail intervenes: blocked text streamed, a content-filter stop (not an error) and its trace', async () => {
    const { events, end } = await run(say('Tell me how. [[guardrail-intervene]] [[say Step one is secret.]]'));
    const text = events
      .filter((e) => e.type === 'text-delta')
      .map((e) => (e as { text: string }).text)
      .join('');
    expect(text).toBe('Sorry, the model cannot answer this question.');
    expect(events.some((e) => e.type === 'turn-error')).toBe(false);
    expect(end.stopReason).toEqual({ unified: 'content-filter', raw: 'guardrail_intervened' });
    expect(end.guardrailTrace).toMatchObject({
      modelOutput: ['Step one is secret.'],
      actionReason: 'Guardrail blocked.',
      outputAssessments: { cfgguard1: [{ contentPolicy: { filters: [{ type: 'VIOLENCE', action: 'BLOCKED', detected: true }] } }] },
    });
    // Nothing of the AWS credentials rides along in the stored events.
    expect(JSON.stringify(events)).not.toMatch(/AKIAFAKEGUARDTEST123|fake-guardrail-secret/);
  });

  it("a request's own guardrailConfig replaces the configured one", async () => {
    const { end } = await run(
      say('[[guardrail-intervene input]]', {
        guardrailConfig: { guardrailIdentifier: 'reqguard9', guardrailVersion: 'DRAFT', trace: 'enabled_full' },
      }),
    );
    expect(end.stopReason.unified).toBe('content-filter');
    expect(Object.keys(end.guardrailTrace?.inputAssessment ?? {})).toEqual(['reqguard9']);
  });

  it('a turn the guardrail lets pass ends normally, with the trace (trace is on in the config)', async () => {
    const { end } = await run(say('[[say All good.]]'));
    expect(end.stopReason).toEqual({ unified: 'end_turn', raw: 'end_turn' });
    expect(end.message.content).toEqual([{ text: 'All good.' }]);
    expect(Object.keys(end.guardrailTrace?.outputAssessments ?? {})).toEqual(['cfgguard1']);
  });

  it('an invalid guardrailConfig in a request is refused before queueing, naming the field', async () => {
    await expect(
      client.submitTurn(say('hi', { guardrailConfig: { guardrailIdentifier: 'x', guardrailVersion: '1', trace: 'verbose' } })),
    ).rejects.toMatchObject({ code: 'invalid_request', field: 'guardrailConfig.trace' });
  });
});
