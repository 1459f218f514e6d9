import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from './start-emulator.ts';
import { testClients, userText } from './test-clients.ts';

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ tls: true, ttftMs: 0, tokensPerSecond: 0 });
});
afterAll(async () => {
  await emu.close();
});

const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';

async function streamText(runtime: ReturnType<typeof testClients>['runtime'], text: string): Promise<string> {
  const out = await runtime.send(new ConverseStreamCommand({ modelId: haiku, messages: [userText(text)] }));
  let got = '';
  for await (const ev of out.stream ?? []) got += ev.contentBlockDelta?.delta?.text ?? '';
  return got;
}

describe('tls', () => {
  it('serves HTTPS with a certificate the clients trust through their request handler', async () => {
    emu.reset();
    expect(emu.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(emu.tls?.cert).toMatch(/^-----BEGIN CERTIFICATE-----/);
    const { runtime, control } = testClients(emu.url, { ca: emu.tls?.cert });
    expect(await streamText(runtime, '[[say over tls]]')).toBe('over tls');
    expect((await control.send(new ListFoundationModelsCommand({}))).modelSummaries).toHaveLength(21);
    expect(emu.stats().calls.ConverseStream).toBe(1);
    runtime.destroy();
    control.destroy();
  });

  it('is refused by a client that does not trust the certificate (verification stays on)', async () => {
    emu.reset();
    const { runtime } = testClients(emu.url);
    await expect(streamText(runtime, '[[say never]]')).rejects.toThrow(/self[- ]signed certificate/i);
    expect(emu.stats().calls.ConverseStream).toBe(0);
    runtime.destroy();
  });

  it('counts connections: the default SDK handler opens one per ConverseStream call, one for all Converse calls', async () => {
    const { runtime } = testClients(emu.url, { ca: emu.tls?.cert });
    emu.reset();
    for (const n of [1, 2, 3]) expect(await streamText(runtime, `[[say s${n}]]`)).toBe(`s${n}`);
    expect(emu.stats().connections).toBe(3);
    emu.reset();
    for (const n of [1, 2, 3]) {
      const out = await runtime.send(new ConverseCommand({ modelId: haiku, messages: [userText(`[[say c${n}]]`)] }));
      expect(out.output?.message?.content?.[0]?.text).toBe(`c${n}`);
    }
    expect(emu.stats().connections).toBe(1);
    runtime.destroy();
  });
});
