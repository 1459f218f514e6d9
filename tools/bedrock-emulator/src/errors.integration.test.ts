import * as rt from '@aws-sdk/client-bedrock-runtime';
import { ConverseCommand, ConverseStreamCommand } from '@aws-sdk/client-bedrock-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type EmulatorHandle } from './start-emulator.ts';
import { testClients, userText } from './test-clients.ts';

let emu: EmulatorHandle;
beforeAll(async () => {
  emu = await startEmulator({ ttftMs: 0, tokensPerSecond: 0, disabledModels: ['mistral.mistral-large-2402-v1:0'] });
});
afterAll(async () => {
  await emu.close();
});

const haiku = 'anthropic.claude-3-haiku-20240307-v1:0';
type ErrorClass = new (...args: never[]) => Error;

async function streamError(modelId: string, messages: unknown[], extra: object = {}): Promise<unknown> {
  const { runtime } = testClients(emu.url);
  try {
    const out = await runtime.send(
      new ConverseStreamCommand({ modelId, messages, ...extra } as ConstructorParameters<typeof ConverseStreamCommand>[0]),
    );
    for await (const _ of out.stream ?? []) {
      /* drain */
    }
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('pre-stream errors surface as their typed SDK classes', () => {
  const cases: [string, ErrorClass, number][] = [
    ['ThrottlingException', rt.ThrottlingException, 429],
    ['AccessDeniedException', rt.AccessDeniedException, 403],
    ['ValidationException', rt.ValidationException, 400],
    ['ResourceNotFoundException', rt.ResourceNotFoundException, 404],
    ['ServiceUnavailableException', rt.ServiceUnavailableException, 503],
    ['InternalServerException', rt.InternalServerException, 500],
    ['ModelNotReadyException', rt.ModelNotReadyException, 429],
    ['ModelTimeoutException', rt.ModelTimeoutException, 408],
    ['ModelErrorException', rt.ModelErrorException, 424],
    ['ServiceQuotaExceededException', rt.ServiceQuotaExceededException, 400],
  ];
  it.each(cases)('[[error %s]] on ConverseStream and Converse', async (name, cls, status) => {
    const err = await streamError(haiku, [userText(`[[error ${name}]]`)]);
    expect(err).toBeInstanceOf(cls);
    expect((err as { $metadata: { httpStatusCode: number; requestId: string } }).$metadata).toMatchObject({ httpStatusCode: status });
    expect((err as { $metadata: { requestId: string } }).$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
    const { runtime } = testClients(emu.url);
    await expect(runtime.send(new ConverseCommand({ modelId: haiku, messages: [userText(`[[error ${name}]]`)] }))).rejects.toBeInstanceOf(
      cls,
    );
  });
});

describe('in-stream exceptions are thrown from the for-await loop as typed classes', () => {
  const cases: [string, ErrorClass][] = [
    ['ModelStreamErrorException', rt.ModelStreamErrorException],
    ['ThrottlingException', rt.ThrottlingException],
    ['ValidationException', rt.ValidationException],
    ['InternalServerException', rt.InternalServerException],
    ['ServiceUnavailableException', rt.ServiceUnavailableException],
  ];
  it.each(cases)('[[error %s after 3]]', async (name, cls) => {
    const { runtime } = testClients(emu.url);
    const out = await runtime.send(
      new ConverseStreamCommand({ modelId: haiku, messages: [userText(`[[error ${name} after 3]] [[tokens 30]]`)] }),
    );
    const seen: unknown[] = [];
    let caught: unknown;
    try {
      for await (const e of out.stream ?? []) seen.push(e);
    } catch (err) {
      caught = err;
    }
    expect(seen).toHaveLength(3);
    expect(caught).toBeInstanceOf(cls);
    if (name === 'ModelStreamErrorException') expect(caught).toMatchObject({ originalStatusCode: 500 });
  });

  it('sends an unmodeled name as an error frame (plain Error named by the code)', async () => {
    const err = await streamError(haiku, [userText('[[error AccessDeniedException after 2]]')]);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe('AccessDeniedException');
  });
});

describe('invocation rules (what Bedrock refuses before invoking a model)', () => {
  it.each([
    ['unknown but well-formed id', 'anthropic.claude-nonexistent-v9:0', rt.ResourceNotFoundException, /Model not found/],
    ['garbage id', 'not a model!', rt.ValidationException, /model identifier is invalid/],
    [
      'unsupported ARN kind',
      'arn:aws:bedrock:us-east-1:123456789012:provisioned-model/abc',
      rt.ValidationException,
      /model identifier is invalid/,
    ],
    [
      'profile-only model on demand',
      'anthropic.claude-sonnet-4-20250514-v1:0',
      rt.ValidationException,
      /on-demand throughput isn.t supported/,
    ],
    ['provisioned-only variant', 'anthropic.claude-3-haiku-20240307-v1:0:48k', rt.ResourceNotFoundException, /Model not found/],
    ['embedding model', 'amazon.titan-embed-text-v2:0', rt.ValidationException, /doesn't support the model/],
    ['image model', 'amazon.nova-canvas-v1:0', rt.ValidationException, /doesn't support the model/],
    ['disabled model', 'mistral.mistral-large-2402-v1:0', rt.AccessDeniedException, /don't have access/],
    ['EU profile from us-east-1', 'eu.anthropic.claude-sonnet-4-5-20250929-v1:0', rt.ValidationException, /model identifier is invalid/],
  ])('%s', async (_label, modelId, cls, re) => {
    const err = await streamError(modelId, [userText('hi')]);
    expect(err).toBeInstanceOf(cls);
    expect((err as Error).message).toMatch(re);
  });

  it('rejects a conversation that does not start with a user message', async () => {
    const err = await streamError(haiku, [{ role: 'assistant', content: [{ text: 'hi' }] }]);
    expect(err).toBeInstanceOf(rt.ValidationException);
    expect((err as Error).message).toMatch(/must start with a user message/);
  });

  it('rejects toolUse blocks without toolConfig', async () => {
    const messages = [
      userText('q'),
      { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'x', input: {} } }] },
      { role: 'user', content: [{ toolResult: { toolUseId: 't1', content: [{ text: 'r' }] } }] },
    ];
    const err = await streamError(haiku, messages);
    expect(err).toBeInstanceOf(rt.ValidationException);
    expect((err as Error).message).toMatch(/toolConfig field must be defined/);
  });

  it('rejects roles that do not alternate and a bad maxTokens, naming the field', async () => {
    expect(await streamError(haiku, [userText('a'), userText('b')])).toBeInstanceOf(rt.ValidationException);
    const err = await streamError(haiku, [userText('a')], { inferenceConfig: { maxTokens: 0 } });
    expect((err as Error).message).toMatch(/inferenceConfig\.maxTokens/);
  });

  it('rejects a malformed document block, naming the field, and accepts a well-formed one', async () => {
    const doc = (document: object) => [{ role: 'user', content: [{ text: 'read this' }, { document }] }];
    const badFormat = await streamError(haiku, doc({ format: 'exe', name: 'a', source: { bytes: new Uint8Array([1, 2, 3]) } }));
    expect(badFormat).toBeInstanceOf(rt.ValidationException);
    expect((badFormat as Error).message).toMatch(/messages\.1\.member\.content\.2\.member\.document\.format/);
    const noName = await streamError(haiku, doc({ format: 'txt', name: '', source: { text: 'x' } }));
    expect((noName as Error).message).toMatch(/document\.name/);
    const noSource = await streamError(haiku, doc({ format: 'txt', name: 'a', source: {} }));
    expect((noSource as Error).message).toMatch(/document\.source/);
    expect(
      await streamError(haiku, doc({ format: 'pdf', name: 'Report (v2)', source: { bytes: new Uint8Array([37, 80, 68, 70]) } })),
    ).toBeUndefined();
    expect(await streamError(haiku, doc({ format: 'md', name: 'notes', source: { text: '# hi' } }))).toBeUndefined();
  });

  it('rejects a malformed guardrailConfig naming the field', async () => {
    const bad = async (guardrailConfig: object) => ((await streamError(haiku, [userText('hi')], { guardrailConfig })) as Error).message;
    expect(await bad({ guardrailIdentifier: 'UPPER', guardrailVersion: '1' })).toMatch(/guardrailConfig\.guardrailIdentifier/);
    expect(await bad({ guardrailIdentifier: 'abc', guardrailVersion: 'v1' })).toMatch(/guardrailConfig\.guardrailVersion/);
    expect(await bad({ guardrailIdentifier: 'abc', guardrailVersion: '1', trace: 'full' })).toMatch(/guardrailConfig\.trace/);
    expect(await bad({ guardrailIdentifier: 'abc', guardrailVersion: '1', streamProcessingMode: 'batch' })).toMatch(
      /guardrailConfig\.streamProcessingMode/,
    );
  });

  it('answers a bad directive with a ValidationException naming it', async () => {
    const err = await streamError(haiku, [userText('[[tokens lots]]')]);
    expect(err).toBeInstanceOf(rt.ValidationException);
    expect((err as Error).message).toMatch(/\[\[tokens lots\]\]/);
  });

  it('counts errors in stats', () => {
    expect(emu.stats().errors['ThrottlingException']).toBeGreaterThan(0);
  });
});
