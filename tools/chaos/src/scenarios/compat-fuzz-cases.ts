import fc from 'fast-check';
import type { FuzzRequest } from './fuzz-cases.ts';

// Hostile requests for the OpenAI (/openai/v1) and Anthropic (/anthropic/v1) faces. Every case
// is certainly invalid: the chaos pool runs no workers, so an accepted turn would never end.

const model = 'amazon-bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0';
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const jsonHeaders = { 'content-type': 'application/json' };
const openAiPath = '/openai/v1/chat/completions';
const anthropicPath = '/anthropic/v1/messages';

const openAiValid = () => ({ model, messages: [{ role: 'user', content: 'hello' }] as unknown[] });
const anthropicValid = () => ({ model, max_tokens: 16, messages: [{ role: 'user', content: 'hello' }] as unknown[] });

/** Values that are never a string. */
// No NaN / Infinity: JSON has neither (they would be sent as null, which means "not given").
const notString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);
/** Values that are never a positive integer. */
const notCount = fc.oneof(
  fc.string({ maxLength: 5 }),
  fc.boolean(),
  fc.constantFrom(0, -1, 1.5, 1e12),
  fc.array(fc.integer(), { maxLength: 2 }),
);
const hostileKey = fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', '', ' ', '\u0000', 'a'.repeat(300));
const badImageData = fc.constantFrom('***', 'iVBORw0KGgo', 'iVBO Rw0K', '====', '');
const badDataUrl = fc.oneof(
  badImageData.map((d) => `data:image/png;base64,${d}`),
  fc.constantFrom(
    'https://example.com/cat.png',
    'data:image/tiff;base64,AAAA',
    'data:text/plain,hello',
    'file:///etc/passwd',
    '',
    'data:image/png;base64',
  ),
);

/** True unless `text` parses as a JSON object (a valid tool-call argument string). */
function notJsonObject(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v !== 'object' || v === null || Array.isArray(v);
  } catch {
    return true;
  }
}

function nest(depth: number): unknown {
  let v: unknown = 1;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

const post = (kind: string, path: string, body: unknown): FuzzRequest => ({
  kind,
  method: 'POST',
  path,
  headers: jsonHeaders,
  body: Buffer.isBuffer(body) ? body : json(body),
});

const openAiBodies: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'model',
        'messages',
        'temperature',
        'top_p',
        'stop',
        'tools',
        'tool_choice',
        'stream',
        'reasoning_effort',
        'user',
        'stream_options',
      ),
      notString,
    )
    .map(([k, v]) => {
      const b: Record<string, unknown> = openAiValid();
      // Values valid for the key (a number temperature in range, a boolean stream…) become a string the key refuses.
      const valid =
        (['temperature', 'top_p'].includes(k) && typeof v === 'number' && v >= 0 && v <= 1) ||
        (k === 'stream' && typeof v === 'boolean') ||
        (['tools', 'stop'].includes(k) && Array.isArray(v) && v.length === 0) ||
        (k === 'stream_options' && typeof v === 'object' && !Array.isArray(v));
      b[k] = valid ? 'not-valid-here' : v;
      return post(`openai wrong type ${k}`, openAiPath, b);
    }),
  fc
    .tuple(fc.constantFrom('max_tokens', 'max_completion_tokens', 'n'), notCount)
    .map(([k, v]) => post(`openai bad count ${k}`, openAiPath, { ...openAiValid(), [k]: k === 'n' && v === 0 ? 2 : v })),
  fc.tuple(fc.constantFrom('role', 'content'), fc.oneof(notString, fc.constant(null))).map(([k, v]) => {
    const m: Record<string, unknown> = { role: 'user', content: 'hi' };
    m[k] = v;
    return post(`openai wrong type message.${k}`, openAiPath, { model, messages: [m] });
  }),
  badDataUrl.map((url) =>
    post('openai bad image_url', openAiPath, {
      model,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hi' },
            { type: 'image_url', image_url: { url } },
          ],
        },
      ],
    }),
  ),
  fc
    .oneof(
      fc.constantFrom('{', '[1]', '"x"', 'null', '{"a":'),
      fc
        .string({ maxLength: 10 })
        .map((s) => `{${s}`)
        .filter(notJsonObject),
    )
    .map((args) =>
      post('openai bad tool arguments', openAiPath, {
        model,
        messages: [
          { role: 'user', content: 'hi' },
          { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'f', arguments: args } }] },
          { role: 'tool', tool_call_id: 'c1', content: 'ok' },
        ],
      }),
    ),
  fc
    .oneof(
      fc.constantFrom('bad name', '', 'x'.repeat(65), 'ü'),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 8 }).map((s) => `${s} !`),
    )
    .map((name) =>
      post('openai bad tool name', openAiPath, {
        ...openAiValid(),
        tools: [{ type: 'function', function: { name, parameters: { type: 'object' } } }],
      }),
    ),
  fc.integer({ min: 65, max: 3000 }).map((depth) =>
    post('openai deep tool schema', openAiPath, {
      ...openAiValid(),
      tools: [{ type: 'function', function: { name: 'f', parameters: nest(depth) } }],
    }),
  ),
  fc.constantFrom('text', 'model', 'system').map((where) => {
    const huge = 'x'.repeat(where === 'model' ? 100_000 : 2_000_001);
    const b: Record<string, unknown> = openAiValid();
    if (where === 'text') b['messages'] = [{ role: 'user', content: huge }];
    else if (where === 'model') b['model'] = huge;
    else
      b['messages'] = [
        { role: 'system', content: huge },
        { role: 'user', content: 'hi' },
      ];
    return post(`openai huge ${where}`, openAiPath, b);
  }),
  hostileKey.map((k) =>
    post(
      'openai hostile key root',
      openAiPath,
      Buffer.from(`{"model":${JSON.stringify(model)},"messages":[{"role":"user","content":"hi"}],${JSON.stringify(k)}:{"polluted":true}}`),
    ),
  ),
);

const anthropicBodies: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'model',
        'messages',
        'system',
        'temperature',
        'top_p',
        'stop_sequences',
        'tools',
        'tool_choice',
        'thinking',
        'metadata',
        'stream',
      ),
      notString,
    )
    .map(([k, v]) => {
      const b: Record<string, unknown> = anthropicValid();
      const valid =
        (['temperature', 'top_p'].includes(k) && typeof v === 'number' && v >= 0 && v <= 1) ||
        (k === 'stream' && typeof v === 'boolean') ||
        (['tools', 'stop_sequences', 'system'].includes(k) && Array.isArray(v) && v.length === 0) ||
        (k === 'metadata' && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);
      b[k] = valid ? 7 : v;
      return post(`anthropic wrong type ${k}`, anthropicPath, b);
    }),
  notCount.map((v) => post('anthropic bad max_tokens', anthropicPath, { ...anthropicValid(), max_tokens: v })),
  fc.constant(post('anthropic missing max_tokens', anthropicPath, { model, messages: [{ role: 'user', content: 'hi' }] })),
  fc.tuple(fc.constantFrom('role', 'content'), fc.oneof(notString, fc.constant(null))).map(([k, v]) => {
    const m: Record<string, unknown> = { role: 'user', content: 'hi' };
    m[k] = v;
    return post(`anthropic wrong type message.${k}`, anthropicPath, { model, max_tokens: 16, messages: [m] });
  }),
  fc
    .oneof(
      badImageData.map((data) => ({ type: 'base64', media_type: 'image/png', data })),
      fc.constantFrom(
        { type: 'url', url: 'https://example.com/a.png' },
        { type: 'base64', media_type: 'image/bmp', data: 'AAAA' },
        { type: 'file', file_id: 'f1' },
      ),
    )
    .map((source) =>
      post('anthropic bad image', anthropicPath, {
        model,
        max_tokens: 16,
        messages: [{ role: 'user', content: [{ type: 'image', source }] }],
      }),
    ),
  fc.constantFrom('video', 'search_result', 'container_upload', '', 'TEXT').map((type) =>
    post('anthropic bad block type', anthropicPath, {
      model,
      max_tokens: 16,
      messages: [{ role: 'user', content: [{ type, text: 'hi' }] }],
    }),
  ),
  fc
    .integer({ min: 65, max: 3000 })
    .map((depth) =>
      post('anthropic deep tool schema', anthropicPath, { ...anthropicValid(), tools: [{ name: 'f', input_schema: nest(depth) }] }),
    ),
  fc
    .constantFrom('text', 'model')
    .map((where) =>
      post(
        `anthropic huge ${where}`,
        anthropicPath,
        where === 'text'
          ? { ...anthropicValid(), messages: [{ role: 'user', content: 'x'.repeat(2_000_001) }] }
          : { ...anthropicValid(), model: 'x'.repeat(100_000) },
      ),
    ),
  hostileKey.map((k) =>
    post(
      'anthropic hostile key root',
      anthropicPath,
      Buffer.from(
        `{"model":${JSON.stringify(model)},"max_tokens":16,"messages":[{"role":"user","content":"hi"}],${JSON.stringify(k)}:{"polluted":true}}`,
      ),
    ),
  ),
  fc
    .oneof(notString, fc.constant(null))
    .map((v) => post('anthropic bad count_tokens', '/anthropic/v1/messages/count_tokens', { model, messages: v })),
);

/** Not JSON, wrong media types, and GETs by bad or unknown ids, on both faces. */
const compatTransport: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc
    .tuple(fc.constantFrom(openAiPath, anthropicPath), fc.constantFrom('{', '{"model":', 'NaN', '[1,2', '42', 'null', '[]', '"s"'))
    .map(([path, text]) => post('compat malformed json', path, Buffer.from(text))),
  fc
    .tuple(fc.constantFrom(openAiPath, anthropicPath), fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', ''))
    .map(([path, ct]): FuzzRequest => ({
      kind: 'compat content-type',
      method: 'POST',
      path,
      headers: ct === '' ? {} : { 'content-type': ct },
      body: json(openAiValid()),
    })),
  fc
    .tuple(
      fc.constantFrom(`${openAiPath}/`, `${anthropicPath}/`),
      fc.oneof(
        fc.constantFrom('..%2F..%2Fetc', '%00', 'a'.repeat(300), 'chatcmpl-', 'msg_', '*'),
        fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/),
      ),
      fc.constantFrom('', '/events', '/events?after=abc', '/events?after=-1'),
    )
    .map(([base, id, suffix]) => ({
      kind: `compat id in path${suffix.split('?')[0]}`,
      method: 'GET' as const,
      path: `${base}${id}${suffix}`,
      headers: {},
    })),
  fc
    .constantFrom(
      '/openai/v1/nope',
      '/anthropic/v1/nope',
      '/openai',
      '/anthropic/v1/models/unknown-model',
      '/openai/v1/models/unknown-model',
    )
    .map((path) => ({ kind: 'compat unknown route', method: 'GET' as const, path, headers: {} })),
);

/** Every hostile request kind for the compat faces. */
export const compatFuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { arbitrary: openAiBodies, weight: 4 },
  { arbitrary: anthropicBodies, weight: 4 },
  { arbitrary: compatTransport, weight: 2 },
);
