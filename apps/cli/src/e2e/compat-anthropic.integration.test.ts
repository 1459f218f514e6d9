import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Anthropic from '@anthropic-ai/sdk';
import type { RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import type { Stream } from '@anthropic-ai/sdk/streaming';
import { apiKey, haiku, pngBase64, startCompatStack, type CompatStack } from './compat-stack.ts';

type SeqEvent = RawMessageStreamEvent & { turnpool_seq: number };

// The official Anthropic client (pinned in the root package.json) against a whole stack on the
// emulator: every request is a turnpool turn, answered in Anthropic's shapes.
describe('Anthropic Messages face, driven by the official @anthropic-ai/sdk client', () => {
  let stack: CompatStack;
  let client: Anthropic;

  beforeAll(async () => {
    stack = await startCompatStack('compat-anthropic');
    client = new Anthropic({ apiKey, baseURL: `${stack.url}/anthropic`, maxRetries: 0 });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('non-streaming text by catalog name: string content, system, stop sequences, usage, the turn id in a header', async () => {
    const { data, response } = await client.messages
      .create({
        model: 'us anthropic claude haiku 4.5',
        max_tokens: 200,
        system: [{ type: 'text', text: 'Be terse.' }],
        messages: [{ role: 'user', content: 'Hi [[say Hello there. STOP more]]' }],
        stop_sequences: ['STOP'],
        metadata: { user_id: 'u-1' },
      })
      .withResponse();
    const turnId = response.headers.get('x-turnpool-turn-id');
    expect(data.id).toBe(`msg_${turnId}`);
    expect(data).toMatchObject({ type: 'message', role: 'assistant', model: haiku, stop_reason: 'stop_sequence' });
    expect(data.content).toEqual([{ type: 'text', text: 'Hello there. ' }]);
    expect(data.usage.input_tokens).toBeGreaterThan(0);
    expect(data.usage.output_tokens).toBeGreaterThan(0);
    expect(response.headers.get('request-id')).toBe(turnId);
  });

  it("streaming text: message_start … content_block_delta … message_stop, accumulated by the client's own helper", async () => {
    const stream = client.messages.stream({
      model: 'gpt-4o',
      max_tokens: 200,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Count [[say one two three four five six]] [[tokens-per-chunk 1]]' }] }],
    });
    const types: string[] = [];
    stream.on('streamEvent', (e) => types.push(e.type));
    const message = await stream.finalMessage();
    expect(message.content).toEqual([{ type: 'text', text: 'one two three four five six' }]);
    expect(types[0]).toBe('message_start');
    expect(types.filter((t) => t === 'content_block_delta').length).toBeGreaterThan(2);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(message.usage.output_tokens).toBeGreaterThan(0);
    expect(message.stop_reason).toBe('end_turn');
  });

  it('a tool_use round trip with input_json_delta, then tool_result blocks', async () => {
    const tools: Anthropic.Tool[] = [
      { name: 'get_weather', description: 'Weather now', input_schema: { type: 'object', properties: { city: { type: 'string' } } } },
    ];
    const ask = 'Weather? [[say Checking.]] [[tool get_weather {"city":"Paris"}]] [[tool get_weather {"city":"Rome"}]]';
    const stream = client.messages.stream({
      model: 'gpt-4o',
      max_tokens: 300,
      tools,
      tool_choice: { type: 'auto' },
      messages: [{ role: 'user', content: ask }],
    });
    const deltas: string[] = [];
    stream.on('streamEvent', (e) => {
      if (e.type === 'content_block_delta') deltas.push(e.delta.type);
    });
    const first = await stream.finalMessage();
    expect(first.stop_reason).toBe('tool_use');
    expect(deltas).toContain('input_json_delta');
    const uses = first.content.filter((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(uses.map((u) => [u.name, u.input])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_weather', { city: 'Rome' }],
    ]);
    const [paris, rome] = uses.map((u) => u.id);
    const second = await client.messages.create({
      model: 'gpt-4o',
      max_tokens: 300,
      tools,
      messages: [
        { role: 'user', content: ask },
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: paris ?? '', content: '21 C' },
            { type: 'tool_result', tool_use_id: rome ?? '', content: [{ type: 'text', text: '25 C' }] },
            { type: 'text', text: 'Thanks. [[say Paris 21, Rome 25.]]' },
          ],
        },
      ],
    });
    expect(second.content).toEqual([{ type: 'text', text: 'Paris 21, Rome 25.' }]);
  });

  it('an image and a document: the emulator bills each', async () => {
    const ask = (extra: Anthropic.ContentBlockParam[]) =>
      client.messages.create({
        model: 'gpt-4o',
        max_tokens: 50,
        messages: [{ role: 'user', content: [{ type: 'text', text: 'Describe. [[tokens 3]]' }, ...extra] }],
      });
    const [image, doc, none] = await Promise.all([
      ask([{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: pngBase64 } }]),
      ask([{ type: 'document', title: 'notes.txt', source: { type: 'text', media_type: 'text/plain', data: 'Some notes.' } }]),
      ask([]),
    ]);
    expect(image.usage.input_tokens - none.usage.input_tokens).toBe(1000);
    expect(doc.usage.input_tokens - none.usage.input_tokens).toBe(1000);
  });

  it('thinking: a thinking block with its signature, streamed as thinking_delta and signature_delta', async () => {
    const stream = client.messages.stream({
      model: 'gpt-4o',
      max_tokens: 3000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'Think. [[reasoning 6]] [[say Done.]]' }],
    });
    const deltas = new Set<string>();
    stream.on('streamEvent', (e) => {
      if (e.type === 'content_block_delta') deltas.add(e.delta.type);
    });
    const message = await stream.finalMessage();
    expect([...deltas].sort()).toEqual(['signature_delta', 'text_delta', 'thinking_delta']);
    const thinking = message.content[0] as Anthropic.ThinkingBlock;
    expect(thinking.type).toBe('thinking');
    expect(thinking.thinking.length).toBeGreaterThan(0);
    expect(thinking.signature.length).toBeGreaterThan(0);
    expect(message.content[1]).toEqual({ type: 'text', text: 'Done.' });
    const same = await client.messages.create({
      model: 'gpt-4o',
      max_tokens: 3000,
      thinking: { type: 'enabled', budget_tokens: 1024 },
      messages: [{ role: 'user', content: 'Think. [[reasoning 6]] [[say Done.]]' }],
    });
    expect(same.content[0]).toMatchObject({ type: 'thinking', thinking: thinking.thinking, signature: thinking.signature });
  });

  it('a stream cut mid-answer resumes by turn id, starting again with message_start', async () => {
    const { data: stream, response } = await client.messages
      .create({
        model: 'gpt-4o',
        max_tokens: 500,
        stream: true,
        messages: [{ role: 'user', content: 'Go [[tokens 60]] [[tokens-per-chunk 2]] [[tokens-per-second 40]]' }],
      })
      .withResponse();
    const turnId = response.headers.get('x-turnpool-turn-id');
    let head = '';
    let last = 0;
    for await (const e of stream as AsyncIterable<SeqEvent>) {
      if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') head += e.delta.text;
      last = e.turnpool_seq;
      if (last >= 5) break;
    }
    const rest = (await client.get(`/v1/messages/msg_${turnId}/events`, {
      query: { after: last },
      stream: true,
    })) as unknown as Stream<SeqEvent>;
    let tail = '';
    const types: string[] = [];
    for await (const e of rest) {
      types.push(e.type);
      if (e.type === 'content_block_delta' && e.delta.type === 'text_delta') tail += e.delta.text;
    }
    expect(types.slice(0, 2)).toEqual(['message_start', 'content_block_start']);
    expect(types.at(-1)).toBe('message_stop');
    const whole = (await client.get(`/v1/messages/msg_${turnId}`)) as Anthropic.Message;
    expect(head + tail).toBe((whole.content[0] as Anthropic.TextBlock).text);
    expect(head.length).toBeGreaterThan(0);
    expect(tail.length).toBeGreaterThan(0);
  });

  it('count_tokens asks the model (Bedrock CountTokens): it matches what the call then bills; and the model list', async () => {
    const ask = {
      model: 'gpt-4o',
      system: 'Be terse.',
      messages: [{ role: 'user' as const, content: `Count ${'hi '.repeat(400)} [[tokens 2]]` }],
    };
    const counted = await client.messages.countTokens(ask);
    const billed = await client.messages.create({ ...ask, max_tokens: 20 });
    expect(counted.input_tokens).toBeGreaterThan(200);
    expect(counted.input_tokens).toBe(billed.usage.input_tokens);
    const unknown = await client.messages.countTokens({ ...ask, model: 'claude-9' }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toEqual(expect.arrayContaining([haiku, 'gpt-4o']));
  });

  it("bad input is a BadRequestError in Anthropic's shape, the message naming the field", async () => {
    const cases: [object, string][] = [
      [{ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] }, 'max_tokens'],
      [{ model: 'gpt-4o', max_tokens: 10, messages: [] }, 'messages'],
      [{ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'video' }] }] }, 'messages[0].content[0].type'],
      [{ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], temperature: 3 }, 'temperature'],
      [{ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'assistant', content: 'hi' }] }, 'messages[0]'],
      [
        {
          model: 'gpt-4o',
          max_tokens: 10,
          messages: [{ role: 'user', content: [{ type: 'image', source: { type: 'base64', media_type: 'image/png', data: '***' } }] }],
        },
        'messages[0].content[0]',
      ],
      [{ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }], top_k: 5 }, 'top_k'],
    ];
    for (const [body, field] of cases) {
      const err = await client.messages.create(body as never).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, field).toBeInstanceOf(Anthropic.BadRequestError);
      const e = err as InstanceType<typeof Anthropic.BadRequestError>;
      expect(e.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
      expect((e.error as { error: { message: string } }).error.message.startsWith(`${field}`)).toBe(true);
    }
  });

  it('a wrong key is an AuthenticationError, an unknown model a NotFoundError, a throttled turn a RateLimitError', async () => {
    const wrong = new Anthropic({ apiKey: 'nope', baseURL: `${stack.url}/anthropic`, maxRetries: 0 });
    await expect(
      wrong.messages.create({ model: 'gpt-4o', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
    await expect(
      client.messages.create({ model: 'claude-9', max_tokens: 10, messages: [{ role: 'user', content: 'hi' }] }),
    ).rejects.toBeInstanceOf(Anthropic.NotFoundError);
    const throttled = {
      model: 'claude-throttled',
      max_tokens: 10,
      messages: [{ role: 'user' as const, content: 'Hi [[error ThrottlingException]]' }],
    };
    const plain = await client.messages.create(throttled).catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(Anthropic.RateLimitError);
    expect((plain as InstanceType<typeof Anthropic.RateLimitError>).error).toMatchObject({
      type: 'error',
      error: { type: 'rate_limit_error' },
    });
    await expect(client.messages.create({ ...throttled, stream: true })).rejects.toBeInstanceOf(Anthropic.RateLimitError);
  }, 60_000);
});
