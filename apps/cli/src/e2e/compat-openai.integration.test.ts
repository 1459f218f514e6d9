import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { Stream } from 'openai/streaming';
import { apiKey, haiku, pngBase64, startCompatStack, type CompatStack } from './compat-stack.ts';

type SeqChunk = ChatCompletionChunk & { turnpool_seq: number };

// The official OpenAI client (pinned in the root package.json) against a whole stack on the
// emulator: every request is a turnpool turn, answered in OpenAI's shapes.
describe('OpenAI Chat Completions face, driven by the official openai client', () => {
  let stack: CompatStack;
  let client: OpenAI;

  beforeAll(async () => {
    stack = await startCompatStack('compat-openai');
    client = new OpenAI({ apiKey, baseURL: `${stack.url}/openai/v1`, maxRetries: 0 });
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('non-streaming text: string content, system/developer roles, usage, and the turn id in a header', async () => {
    const { data, response } = await client.chat.completions
      .create({
        model: 'gpt-4o',
        messages: [
          { role: 'system', content: 'Be terse.' },
          { role: 'developer', content: [{ type: 'text', text: 'Really.' }] },
          { role: 'user', content: 'Hi [[say Hello there.]]' },
        ],
        max_completion_tokens: 100,
        temperature: 1.5,
        top_p: 0.9,
        user: 'u-1',
      })
      .withResponse();
    const turnId = response.headers.get('x-turnpool-turn-id');
    expect(turnId).toMatch(/^[0-9a-f-]{36}$/);
    expect(data.id).toBe(`chatcmpl-${turnId}`);
    expect(data.object).toBe('chat.completion');
    expect(data.model).toBe(haiku);
    expect(data.choices[0]?.message).toMatchObject({ role: 'assistant', content: 'Hello there.' });
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(data.usage?.total_tokens).toBe((data.usage?.prompt_tokens ?? 0) + (data.usage?.completion_tokens ?? 0));
    // The answer stays fetchable by id (the official client's retrieve).
    const again = await client.chat.completions.retrieve(data.id);
    expect(again.choices[0]?.message.content).toBe('Hello there.');
  });

  it('streaming text: chunks with the role first, finish_reason, a usage chunk and [DONE]', async () => {
    const stream = await client.chat.completions.create({
      model: `amazon-bedrock/${haiku}`,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Count [[say one two three four five six]] [[tokens-per-chunk 1]]' }] }],
    });
    const chunks: ChatCompletionChunk[] = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('one two three four five six');
    expect(chunks.filter((c) => c.choices[0]?.delta.content).length).toBeGreaterThan(2);
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const usage = chunks.at(-1);
    expect(usage?.choices).toEqual([]);
    expect(usage?.usage?.completion_tokens).toBeGreaterThan(0);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it("a tool-call round trip with parallel calls, streamed and accumulated by the client's own helper", async () => {
    const tools: OpenAI.Chat.Completions.ChatCompletionTool[] = [
      {
        type: 'function',
        function: {
          name: 'get_weather',
          description: 'Weather now',
          parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
        },
      },
    ];
    const ask = 'Weather? [[tool get_weather {"city":"Paris"}]] [[tool get_weather {"city":"Rome"}]]';
    const runner = client.chat.completions.stream({
      model: 'gpt-4o',
      tools,
      tool_choice: 'auto',
      messages: [{ role: 'user', content: ask }],
    });
    const first = await runner.finalChatCompletion();
    const calls = first.choices[0]?.message.tool_calls ?? [];
    expect(first.choices[0]?.finish_reason).toBe('tool_calls');
    expect(calls.map((c) => c.type === 'function' && [c.function.name, JSON.parse(c.function.arguments)])).toEqual([
      ['get_weather', { city: 'Paris' }],
      ['get_weather', { city: 'Rome' }],
    ]);
    const second = await client.chat.completions.create({
      model: 'gpt-4o',
      tools,
      messages: [
        { role: 'user', content: ask },
        first.choices[0]?.message ?? { role: 'assistant' as const },
        ...calls.map((c, i) => ({ role: 'tool' as const, tool_call_id: c.id, content: i === 0 ? '21 C' : '25 C' })),
        { role: 'user', content: 'Thanks. [[say Paris 21, Rome 25.]]' },
      ],
    });
    expect(second.choices[0]?.message.content).toBe('Paris 21, Rome 25.');
    expect(second.choices[0]?.finish_reason).toBe('stop');
  });

  it('an image as a data URL: the emulator bills the image', async () => {
    const ask = (withImage: boolean) =>
      client.chat.completions.create({
        model: 'gpt-4o',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'Describe. [[tokens 3]]' },
              ...(withImage ? [{ type: 'image_url' as const, image_url: { url: `data:image/png;base64,${pngBase64}` } }] : []),
            ],
          },
        ],
      });
    const [with_, without] = await Promise.all([ask(true), ask(false)]);
    expect((with_.usage?.prompt_tokens ?? 0) - (without.usage?.prompt_tokens ?? 0)).toBe(1000);
  });

  it('reasoning_effort turns thinking on: reasoning_content in the message and in stream deltas', async () => {
    const done = await client.chat.completions.create({
      model: 'gpt-4o',
      reasoning_effort: 'low',
      messages: [{ role: 'user', content: 'Think. [[reasoning 6]] [[say Done.]]' }],
    });
    const message = done.choices[0]?.message as { content: string; reasoning_content?: string };
    expect(message.content).toBe('Done.');
    expect(message.reasoning_content?.length).toBeGreaterThan(0);
    const stream = await client.chat.completions.create({
      model: 'gpt-4o',
      reasoning_effort: 'high',
      stream: true,
      messages: [{ role: 'user', content: 'Think. [[reasoning 6]] [[say Done.]]' }],
    });
    let reasoning = '';
    for await (const c of stream) reasoning += (c.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content ?? '';
    expect(reasoning).toBe(message.reasoning_content);
  });

  it('a stream cut mid-answer resumes by turn id from the last turnpool_seq, in the same chunk format', async () => {
    const { data: stream, response } = await client.chat.completions
      .create({
        model: 'gpt-4o',
        stream: true,
        messages: [{ role: 'user', content: 'Go [[tokens 60]] [[tokens-per-chunk 2]] [[tokens-per-second 40]]' }],
      })
      .withResponse();
    const turnId = response.headers.get('x-turnpool-turn-id');
    let head = '';
    let last = 0;
    for await (const c of stream as AsyncIterable<SeqChunk>) {
      head += c.choices[0]?.delta.content ?? '';
      last = c.turnpool_seq;
      if (last >= 5) break; // drops the connection, as a lost client would
    }
    const rest = (await client.get(`/chat/completions/${turnId}/events`, {
      query: { after: last },
      stream: true,
    })) as unknown as Stream<SeqChunk>;
    let tail = '';
    const seqs: number[] = [];
    for await (const c of rest) {
      tail += c.choices[0]?.delta.content ?? '';
      seqs.push(c.turnpool_seq);
    }
    expect(seqs[0]).toBe(last + 1);
    const whole = await client.chat.completions.retrieve(`chatcmpl-${turnId}`);
    expect(head + tail).toBe(whole.choices[0]?.message.content);
    expect(head.length).toBeGreaterThan(0);
    expect(tail.length).toBeGreaterThan(0);
  });

  it("GET /models lists the catalog and the aliases in OpenAI's shape", async () => {
    const ids: string[] = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids).toContain(haiku);
    expect(ids).toContain('gpt-4o');
    expect(await client.models.retrieve('gpt-4o')).toMatchObject({ id: 'gpt-4o', object: 'model' });
  });

  it("bad input is a BadRequestError naming the field in OpenAI's terms", async () => {
    const bad = async (body: object) =>
      client.chat.completions.create(body as never).then(
        () => undefined,
        (e: unknown) => e,
      );
    const cases: [object, string][] = [
      [{ model: 'gpt-4o', messages: [] }, 'messages'],
      [{ model: 'gpt-4o', messages: [{ role: 'user', content: 5 }] }, 'messages[0].content'],
      [{ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], temperature: 'hot' }, 'temperature'],
      [{ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], frobnicate: 1 }, 'frobnicate'],
      [
        {
          model: 'gpt-4o',
          messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }],
        },
        'messages[0].content[0].image_url.url',
      ],
      [
        {
          model: 'gpt-4o',
          messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/png;base64,***' } }] }],
        },
        'messages[0].content[0]',
      ],
      [
        {
          model: 'gpt-4o',
          messages: [
            { role: 'system', content: 'x' },
            { role: 'user', content: 'hi' },
          ],
          max_tokens: 0,
        },
        'max_tokens',
      ],
      [
        { model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }], tools: [{ type: 'function', function: { name: 'bad name' } }] },
        'tools[0].name',
      ],
    ];
    for (const [body, param] of cases) {
      const err = await bad(body);
      expect(err, param).toBeInstanceOf(OpenAI.BadRequestError);
      const e = err as InstanceType<typeof OpenAI.BadRequestError>;
      expect(e.status).toBe(400);
      expect(e.param).toBe(param);
      expect(e.code).toBe('invalid_request');
      expect(e.message).toContain(param);
    }
  });

  it('an image for a text-only model is an UnprocessableEntityError naming the part', async () => {
    const err = await client.chat.completions
      .create({
        model: 'amazon.nova-micro-v1:0',
        messages: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'What is it?' },
              { type: 'image_url', image_url: { url: `data:image/png;base64,${pngBase64}` } },
            ],
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.UnprocessableEntityError);
    expect(err).toMatchObject({ status: 422, code: 'unsupported_input', param: 'messages[0].content[1]' });
  });

  it('a wrong key is an AuthenticationError, an unknown model a NotFoundError', async () => {
    const wrong = new OpenAI({ apiKey: 'nope', baseURL: `${stack.url}/openai/v1`, maxRetries: 0 });
    await expect(wrong.chat.completions.create({ model: 'gpt-4o', messages: [{ role: 'user', content: 'hi' }] })).rejects.toBeInstanceOf(
      OpenAI.AuthenticationError,
    );
    await expect(wrong.models.list()).rejects.toBeInstanceOf(OpenAI.AuthenticationError);
    const unknown = await client.chat.completions
      .create({ model: 'gpt-9-ultra', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(OpenAI.NotFoundError);
    expect(unknown).toMatchObject({ status: 404, param: 'model', code: 'model_not_found' });
  });

  it('a turn Bedrock throttles until the admission deadline is a RateLimitError, streaming or not', async () => {
    const throttled = { model: 'claude-throttled', messages: [{ role: 'user' as const, content: 'Hi [[error ThrottlingException]]' }] };
    const plain = await client.chat.completions
      .create(throttled)
      .withResponse()
      .catch((e: unknown) => e);
    expect(plain).toBeInstanceOf(OpenAI.RateLimitError);
    expect((plain as InstanceType<typeof OpenAI.RateLimitError>).headers?.get('x-turnpool-turn-id')).toBeTruthy();
    const streamed = await client.chat.completions.create({ ...throttled, stream: true }).catch((e: unknown) => e);
    expect(streamed).toBeInstanceOf(OpenAI.RateLimitError);
  }, 60_000);
});
