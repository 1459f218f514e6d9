import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { BedrockClient, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from './start-emulator.ts';
import { testClients, userText } from './test-clients.ts';

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ ttftMs: 0, tokensPerSecond: 0 });
});
afterAll(async () => {
  await emu.close();
});

const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
const converse = (text: string) => new ConverseCommand({ modelId: haiku, messages: [userText(text)] });

describe('auth', () => {
  it('accepts SigV4 from static credentials', async () => {
    emu.reset();
    const { runtime, control } = testClients(emu.url);
    expect((await runtime.send(converse('[[say sig ok]]'))).output?.message?.content?.[0]?.text).toBe('sig ok');
    expect((await control.send(new ListFoundationModelsCommand({}))).modelSummaries).toHaveLength(21);
    expect(emu.stats().auth).toEqual({ sigv4: 2, bearer: 0, none: 0 });
  });

  it('accepts a bearer token given as token + authSchemePreference', async () => {
    emu.reset();
    const common = {
      endpoint: emu.url,
      region: 'us-east-1',
      maxAttempts: 1,
      token: { token: 'ABSKemulatortoken' },
      authSchemePreference: ['httpBearerAuth'],
    };
    const runtime = new BedrockRuntimeClient(common);
    const control = new BedrockClient(common);
    expect((await runtime.send(converse('[[say bearer ok]]'))).output?.message?.content?.[0]?.text).toBe('bearer ok');
    expect((await control.send(new ListFoundationModelsCommand({}))).modelSummaries).toHaveLength(21);
    expect(emu.stats().auth).toEqual({ sigv4: 0, bearer: 2, none: 0 });
  });

  it('accepts AWS_BEARER_TOKEN_BEDROCK from the environment of a client process', async () => {
    emu.reset();
    const env: NodeJS.ProcessEnv = {
      PATH: process.env['PATH'],
      HOME: '/nonexistent',
      AWS_BEARER_TOKEN_BEDROCK: 'ABSKfromenv',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
    const script = new URL('./__fixtures__/bearer-env-client.mjs', import.meta.url);
    const { stdout } = await promisify(execFile)(process.execPath, [script.pathname, emu.url], { env, timeout: 20_000 });
    expect(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}')).toEqual({ text: 'bearer ok', models: 21 });
    expect(emu.stats().auth.bearer).toBe(2);
  });

  it('answers 403 AccessDeniedException without auth, on both protocols', async () => {
    const res = await fetch(`${emu.url}/model/${encodeURIComponent(haiku)}/converse`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(403);
    expect(res.headers.get('x-amzn-errortype')).toBe('AccessDeniedException:http://internal.amazon.com/coral/com.amazon.bedrock/');
    expect(res.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(((await res.json()) as { message: string }).message).toMatch(/Missing authentication/);
    const bad = await fetch(`${emu.url}/foundation-models`, { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    expect(bad.status).toBe(403);
    expect(await bad.text()).not.toContain('Zm9vOmJhcg');
  });

  it('lets requests through without auth when requireAuth is off', async () => {
    emu.configure({ requireAuth: false });
    const res = await fetch(`${emu.url}/foundation-models`);
    expect(res.status).toBe(200);
    emu.reset();
    expect((await fetch(`${emu.url}/foundation-models`)).status).toBe(403);
  });

  it('reports the SigV4 region through a typed client too', async () => {
    const { runtime } = testClients(emu.url, { region: 'eu-west-1' });
    const out = await runtime.send(
      new ConverseCommand({ modelId: 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', messages: [userText('[[say eu ok]]')] }),
    );
    expect(out.output?.message?.content?.[0]?.text).toBe('eu ok');
  });
});
