import {
  ConverseCommand,
  ConverseStreamCommand,
  ServiceUnavailableException,
  ThrottlingException,
  type ConverseStreamCommandInput,
  type TokenUsage,
} from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { EmulatorStats } from './emulator-stats.ts';
import type { ModelQuota } from './model-quota.ts';
import { startEmulator, type EmulatorHandle } from './start-emulator.ts';
import { testClients, userText } from './test-clients.ts';

let emu: EmulatorHandle;
/** The quota clock (ms): tests move it to refill buckets; nothing sleeps. */
let clock = 0;
beforeAll(async () => {
  emu = await startEmulator({ ttftMs: 0, tokensPerSecond: 0, now: () => clock });
});
afterAll(async () => {
  await emu.close();
});
beforeEach(() => {
  emu.reset();
  clock = 1_000_000;
});

const micro = 'amazon.nova-micro-v1:0'; // ON_DEMAND and INFERENCE_PROFILE; 5000 max output in the catalog
const microProfile = 'us.amazon.nova-micro-v1:0';
const quotas = (q: Record<string, ModelQuota>): void => emu.configure({ quotas: q });

/** One ConverseStream call, drained: its usage, or the error it failed with. */
async function call(
  modelId: string,
  text: string,
  extra: Partial<ConverseStreamCommandInput> = {},
): Promise<{ usage?: TokenUsage; error?: unknown }> {
  try {
    const out = await testClients(emu.url).runtime.send(new ConverseStreamCommand({ modelId, messages: [userText(text)], ...extra }));
    let usage: TokenUsage | undefined;
    for await (const e of out.stream ?? []) usage = e.metadata?.usage ?? usage;
    return { usage };
  } catch (error) {
    return { error };
  }
}

const outcome = (r: { error?: unknown }): string =>
  r.error === undefined ? 'ok' : `${(r.error as Error).name}: ${(r.error as Error).message}`;
const tooManyRequests = 'ThrottlingException: Too many requests, please wait before trying again.';
const tooManyTokens = 'ThrottlingException: Too many tokens, please wait before trying again.';

describe('requests per minute', () => {
  it('throttles exactly the calls over the quota with a 429 ThrottlingException, and refills with the clock', async () => {
    quotas({ [micro]: { rpm: 3 } });
    const results = await Promise.all(Array.from({ length: 5 }, (_, i) => call(micro, `hello ${i}`)));
    expect(results.map(outcome).sort()).toEqual(['ok', 'ok', 'ok', tooManyRequests, tooManyRequests].sort());
    const throttled = results.find((r) => r.error !== undefined)?.error;
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect((throttled as ThrottlingException).$metadata.httpStatusCode).toBe(429);
    expect(emu.stats().quotas[micro]).toMatchObject({ admitted: 3, throttled: { rpm: 2, tpm: 0, daily: 0 } });
    expect(emu.stats().errors['ThrottlingException']).toBe(2);
    clock += 19_000;
    expect(outcome(await call(micro, 'again'))).toBe(tooManyRequests);
    clock += 1_000; // 20 s = one request at 3 per minute
    expect(outcome(await call(micro, 'again'))).toBe('ok');
    expect(outcome(await call(micro, 'again'))).toBe(tooManyRequests);
  });

  it('counts a call that fails before its stream as a request, but gives its tokens back', async () => {
    quotas({ [micro]: { rpm: 1, tpm: 10_000 } });
    const failed = await call(micro, '[[error ServiceUnavailableException]]', { inferenceConfig: { maxTokens: 100 } });
    expect(failed.error).toBeInstanceOf(ServiceUnavailableException);
    expect(outcome(await call(micro, 'next'))).toBe(tooManyRequests);
    const s = emu.stats().quotas[micro];
    expect(s?.tokensSettled).toBe(0);
    expect(
      ((await (await fetch(`${emu.url}/_emulator/quotas`)).json()) as { buckets: Record<string, Record<string, { tpm: number }>> }).buckets[
        'us-east-1'
      ]?.[micro]?.tpm,
    ).toBe(10_000);
  });
});

describe('tokens per minute', () => {
  it('reserves the model max output when maxTokens is unset: throttled on TPM, while a small maxTokens passes', async () => {
    quotas({ [micro]: { tpm: 2_000 } });
    expect(outcome(await call(micro, 'hi'))).toBe(tooManyTokens); // input + 5000 (catalog max output) > 2000
    const small = await call(micro, 'hi', { inferenceConfig: { maxTokens: 100 } });
    expect(outcome(small)).toBe('ok');
    const input = small.usage?.inputTokens ?? 0;
    expect(input).toBeGreaterThan(0);
    expect(emu.stats().quotas[micro]).toMatchObject({ admitted: 1, throttled: { rpm: 0, tpm: 1, daily: 0 }, tokensReserved: input + 100 });
  });

  it('settles to the real usage: the unused reservation comes back and the next call is admitted', async () => {
    quotas({ [micro]: { tpm: 1_000 } });
    const first = await call(micro, 'one [[tokens 5]]', { inferenceConfig: { maxTokens: 800 } });
    expect(outcome(first)).toBe('ok');
    // Without the settle only ~190 tokens would be left for another 800-token reservation.
    expect(outcome(await call(micro, 'two [[tokens 5]]', { inferenceConfig: { maxTokens: 800 } }))).toBe('ok');
    const s = emu.stats().quotas[micro];
    const input = first.usage?.inputTokens ?? 0;
    expect(s?.tokensSettled).toBe(2 * (input + 5));
    expect(s?.tokensReserved).toBe(2 * (input + 800));
  });

  it('holds the reservation while a stream is open and settles an aborted stream with what it produced', async () => {
    quotas({ [micro]: { tpm: 1_000 } });
    const abort = new AbortController();
    const out = await testClients(emu.url).runtime.send(
      new ConverseStreamCommand({
        modelId: micro,
        messages: [userText('slow [[say one two three]] [[stall 30 after 2]]')],
        inferenceConfig: { maxTokens: 600 },
      }),
      { abortSignal: abort.signal },
    );
    const events = out.stream?.[Symbol.asyncIterator]();
    await events?.next(); // messageStart
    const delta = await events?.next(); // the whole text in one delta (3 tokens), then the stall
    expect(delta?.value?.contentBlockDelta?.delta?.text).toBe('one two three');
    expect(outcome(await call(micro, 'meanwhile', { inferenceConfig: { maxTokens: 600 } }))).toBe(tooManyTokens);
    abort.abort();
    await events?.next().catch(() => undefined);
    for (let i = 0; i < 200 && emu.stats().streamsOpen > 0; i++) await new Promise((r) => setTimeout(r, 10));
    const s = emu.stats().quotas[micro];
    const input = (s?.tokensReserved ?? 0) - 600;
    expect(s).toMatchObject({ admitted: 1, tokensSettled: input + 3 });
    expect(outcome(await call(micro, 'after', { inferenceConfig: { maxTokens: 600 } }))).toBe('ok'); // same minute: the give-back made room
  });

  it('counts output at the burndown rate (past the reservation when it has to) and releases cache reads', async () => {
    quotas({ [micro]: { tpm: 1_000_000, burndown: 5 } });
    const r = await call(micro, 'burn [[tokens 40]] [[cache-read 300]] [[cache-write 20]]', { inferenceConfig: { maxTokens: 50 } });
    const input = r.usage?.inputTokens ?? 0;
    expect(r.usage).toMatchObject({ outputTokens: 40, cacheReadInputTokens: 300, cacheWriteInputTokens: 20 });
    expect(emu.stats().quotas[micro]).toMatchObject({ tokensReserved: input + 300 + 20 + 50, tokensSettled: input + 20 + 5 * 40 });
  });

  it('refuses on the daily quota with the per-day message', async () => {
    quotas({ [micro]: { tpm: 10_000, tpd: 1_500 } });
    expect(outcome(await call(micro, 'a [[tokens 600]]', { inferenceConfig: { maxTokens: 1_000 } }))).toBe('ok');
    clock += 60_000; // tpm is full again; the day has ~900 left, less than the next reservation
    expect(outcome(await call(micro, 'b', { inferenceConfig: { maxTokens: 1_000 } }))).toBe(
      'ThrottlingException: Too many tokens per day, please wait before trying again.',
    );
    expect(emu.stats().quotas[micro]?.throttled).toEqual({ rpm: 0, tpm: 0, daily: 1 });
  });
});

describe('quota keys', () => {
  it('gives an inference profile and its bare model separate budgets; an unlisted key is not limited', async () => {
    quotas({ [micro]: { rpm: 1 }, [microProfile]: { rpm: 1 } });
    expect(outcome(await call(micro, 'x'))).toBe('ok');
    expect(outcome(await call(microProfile, 'x'))).toBe('ok');
    expect(outcome(await call(micro, 'y'))).toBe(tooManyRequests);
    expect(outcome(await call(microProfile, 'y'))).toBe(tooManyRequests);
    expect(outcome(await call(`arn:aws:bedrock:us-east-1::foundation-model/${micro}`, 'z'))).toBe(tooManyRequests); // an ARN counts as its id
    quotas({ [microProfile]: { rpm: 1 } });
    expect((await Promise.all([call(micro, '1'), call(micro, '2'), call(micro, '3')])).map(outcome)).toEqual(['ok', 'ok', 'ok']);
  });

  it('keeps one budget per region', async () => {
    quotas({ [microProfile]: { rpm: 1 } });
    const inRegion = async (region: string): Promise<string> => {
      try {
        await testClients(emu.url, { region }).runtime.send(new ConverseCommand({ modelId: microProfile, messages: [userText('r')] }));
        return 'ok';
      } catch (err) {
        return (err as Error).name;
      }
    };
    expect([await inRegion('us-east-1'), await inRegion('us-east-1'), await inRegion('us-west-2')]).toEqual([
      'ok',
      'ThrottlingException',
      'ok',
    ]);
  });
});

describe('admin endpoint', () => {
  const admin = (path: string, init?: RequestInit): Promise<Response> => fetch(`${emu.url}/_emulator/${path}`, init);
  const patch = (body: unknown): Promise<Response> =>
    admin('config', { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

  it('sets and replaces quotas at run time, shows them with the live bucket levels, and counts them in stats', async () => {
    expect((await patch({ quotas: { [micro]: { rpm: 2, tpm: 5_000, burndown: 2 } } })).status).toBe(200);
    expect(outcome(await call(micro, 'hi', { inferenceConfig: { maxTokens: 10 } }))).toBe('ok');
    const q = (await (await admin('quotas')).json()) as { quotas: unknown; buckets: Record<string, Record<string, unknown>> };
    expect(q.quotas).toEqual({ [micro]: { rpm: 2, tpm: 5_000, burndown: 2 } });
    const stats = (await (await admin('stats')).json()) as EmulatorStats;
    const settled = stats.quotas[micro]?.tokensSettled ?? 0;
    expect(q.buckets['us-east-1']?.[micro]).toEqual({ rpm: 1, tpm: 5_000 - settled });
    expect(stats.quotas[micro]).toMatchObject({ admitted: 1, throttled: { rpm: 0, tpm: 0, daily: 0 } });
    expect(((await (await admin('config')).json()) as { quotas: unknown }).quotas).toEqual(q.quotas);

    expect((await patch({ quotas: { [microProfile]: { rpm: 0 } } })).status).toBe(200); // replaces the whole table
    expect(outcome(await call(micro, 'free now'))).toBe('ok');
    expect(outcome(await call(microProfile, 'never'))).toBe(tooManyRequests);
    expect(((await (await admin('quotas')).json()) as { quotas: unknown }).quotas).toEqual({ [microProfile]: { rpm: 0 } });
  });

  it.each([
    [{ quotas: { [micro]: { rpm: -1 } } }, `quotas["${micro}"].rpm: expected an integer`],
    [{ quotas: { [micro]: { rpm: 1, tokens: 5 } } }, `quotas["${micro}"].tokens: unknown quota`],
    [{ quotas: { 'amazon.nova-micro-v9:0': { rpm: 1 } } }, 'is not a model id or inference profile id of the catalog'],
  ])('rejects a bad quota patch %j with 400 naming the entry, changing nothing', async (body, message) => {
    quotas({ [micro]: { rpm: 5 } });
    const res = await patch(body);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { message: string }).message).toContain(message);
    expect(((await (await admin('quotas')).json()) as { quotas: unknown }).quotas).toEqual({ [micro]: { rpm: 5 } });
  });

  it('reset() restores the start quotas (none), refills and zeroes the counters', async () => {
    quotas({ [micro]: { rpm: 1 } });
    await call(micro, 'a');
    expect(outcome(await call(micro, 'b'))).toBe(tooManyRequests);
    expect((await admin('reset', { method: 'POST' })).status).toBe(200);
    expect(emu.stats().quotas).toEqual({});
    expect(outcome(await call(micro, 'c'))).toBe('ok');
  });
});

describe('catalog max output', () => {
  it('is emulator-only: ListFoundationModels and GetFoundationModel never send it', async () => {
    const headers = { authorization: 'Bearer emulator-test' };
    const list = await (await fetch(`${emu.url}/foundation-models`, { headers })).text();
    const one = await (await fetch(`${emu.url}/foundation-models/${micro}`, { headers })).text();
    expect(list).toContain(micro);
    expect(one).toContain(micro);
    expect(list + one).not.toContain('maxOutputTokens');
  });
});
