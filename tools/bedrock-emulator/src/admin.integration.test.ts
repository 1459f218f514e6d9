import { ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from './start-emulator.ts';
import { testClients, userText } from './test-clients.ts';
import type { EmulatorStats } from './emulator-stats.ts';

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ ttftMs: 0, tokensPerSecond: 0 });
});
afterAll(async () => {
  await emu.close();
});

const admin = (path: string, init?: RequestInit) => fetch(`${emu.url}/_emulator/${path}`, init);
const patch = (body: string) => admin('config', { method: 'POST', body, headers: { 'content-type': 'application/json' } });

describe('admin endpoint', () => {
  it('GET /_emulator/stats matches handle.stats(), POST /_emulator/reset zeroes it', async () => {
    await testClients(emu.url).runtime.send(new ConverseCommand({ modelId: 'amazon.nova-micro-v1:0', messages: [userText('hi')] }));
    const stats = (await (await admin('stats')).json()) as EmulatorStats;
    expect(stats).toEqual(emu.stats());
    expect(stats.calls.Converse).toBe(1);
    const reset = await admin('reset', { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(reset.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(emu.stats().calls.Converse).toBe(0);
  });

  it('POST /_emulator/config applies a valid patch', async () => {
    const res = await patch(JSON.stringify({ disabledModels: ['amazon.nova-micro-v1:0'], faultRate: 0 }));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { config: { disabledModels: string[] } }).config.disabledModels).toEqual(['amazon.nova-micro-v1:0']);
    await expect(
      testClients(emu.url).runtime.send(new ConverseCommand({ modelId: 'amazon.nova-micro-v1:0', messages: [userText('hi')] })),
    ).rejects.toThrow(/don't have access/);
    await admin('reset', { method: 'POST' });
    expect((await (await admin('config')).json()) as object).toMatchObject({ disabledModels: [] });
  });

  it.each([
    ['malformed JSON', '{"faultRate":', /SerializationException/, /not valid JSON/],
    ['not an object', '[1]', /ValidationException/, /options: expected an object/],
    ['unknown key', '{"bogus":1}', /ValidationException/, /bogus: unknown option/],
    ['__proto__ key', '{"__proto__":{"requireAuth":false}}', /ValidationException/, /__proto__: unknown option/],
    ['start-only key', '{"port":1234}', /ValidationException/, /port: can only be set when the emulator starts/],
    ['wrong type', '{"faultRate":"high"}', /ValidationException/, /faultRate: expected a number in 0\.\.1/],
    ['out of range', '{"tokensPerChunk":0}', /ValidationException/, /tokensPerChunk/],
    ['bad fault kind', '{"faultKinds":["meteor"]}', /ValidationException/, /faultKinds\[0\]: unknown fault kind/],
  ])('rejects %s with 400 naming the key, and stays up', async (_l, body, type, msg) => {
    const res = await patch(body);
    expect(res.status).toBe(400);
    expect(res.headers.get('x-amzn-errortype')).toMatch(type);
    expect(((await res.json()) as { message: string }).message).toMatch(msg);
    expect(emu.stats().calls).toBeDefined();
    expect((await (await admin('config')).json()) as object).toMatchObject({ requireAuth: true, faultRate: 0 });
  });

  it('caps the admin body and answers unknown admin routes with 404', async () => {
    expect((await patch(`{"disabledModels":["${'x'.repeat(2 * 1024 * 1024)}"]}`)).status).toBe(413);
    expect((await admin('nope')).status).toBe(404);
    expect((await admin('stats', { method: 'DELETE' })).status).toBe(404);
  });
});
