import fc from 'fast-check';

/** One hostile HTTP request. */
export interface FuzzRequest {
  kind: string;
  method: 'GET' | 'POST';
  path: string;
  headers: Record<string, string | string[]>;
  body?: Buffer;
}

const model = 'amazon-bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0';
const valid = () => ({ model, messages: [{ role: 'user', content: [{ text: 'hello' }] }] as unknown[] });
const json = (v: unknown) => Buffer.from(JSON.stringify(v));
const jsonHeaders = { 'content-type': 'application/json' };

/** Values that are never a string. */
const notString = fc.oneof(
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.integer(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }),
  fc.double(),
);
/** Unicode edge cases: lone surrogates, NUL and control characters, RTL overrides, BOMs, combining marks, emoji. */
const nastyText = fc.oneof(
  fc.constantFrom(
    '\uD800',
    '\uDFFF',
    'a\u0000b',
    '\u202Eevil',
    '\uFEFF',
    'e\u0301\u0301\u0301',
    '😀'.repeat(10),
    '\u0007\u001b[31m',
    '%00',
    '../../etc/passwd',
    '${jndi:x}',
    '<script>',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
);
const hostileKey = fc.constantFrom(
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
  '',
  ' ',
  '\u0000',
  'a'.repeat(300),
);

function nest(depth: number, leaf: unknown, asArray: boolean): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = asArray ? [v] : { a: v };
  return v;
}

/** Corruptions of an otherwise valid POST /v1/turns body; each must be refused with a 4xx naming the field. */
const badTurnBody: fc.Arbitrary<FuzzRequest> = fc.oneof(
  // Wrong types at known paths.
  fc
    .tuple(
      fc.constantFrom('model', 'messages', 'system', 'inferenceConfig', 'tools', 'turnId', 'promptCache'),
      fc.oneof(notString, fc.constant('x')),
    )
    .map(([k, v]) => {
      const b: Record<string, unknown> = valid();
      b[k] =
        k === 'turnId'
          ? typeof v === 'string'
            ? '!bad id!'
            : v
          : k === 'model' && typeof v === 'string'
            ? `amazon-bedrock/${'\uD800'}`
            : v;
      // Values that happen to be valid for the key ([] tools, {} inferenceConfig, a string system, a boolean promptCache) become a number.
      const stillValid =
        (k === 'tools' && Array.isArray(v) && v.length === 0) ||
        (k === 'inferenceConfig' && typeof v === 'object' && v !== null && !Array.isArray(v) && Object.keys(v).length === 0) ||
        (k === 'system' && typeof v === 'string') ||
        (k === 'promptCache' && typeof v === 'boolean');
      if (stillValid) b[k] = 5;
      return { kind: `wrong type ${k}`, method: 'POST' as const, path: '/v1/turns', headers: jsonHeaders, body: json(b) };
    }),
  fc.tuple(fc.constantFrom('role', 'content', 'text'), notString).map(([k, v]) => {
    const m: Record<string, unknown> = { role: 'user', content: [{ text: 'hi' }] };
    if (k === 'text') m['content'] = [{ text: v }];
    else m[k] = v;
    return {
      kind: `wrong type message.${k}`,
      method: 'POST' as const,
      path: '/v1/turns',
      headers: jsonHeaders,
      body: json({ model, messages: [m] }),
    };
  }),
  // Unknown and hostile keys, at the root and nested (raw JSON, so "__proto__" is a real key).
  fc.tuple(hostileKey, fc.constantFrom('root', 'message', 'block', 'inferenceConfig')).map(([k, where]) => {
    const kj = JSON.stringify(k);
    const bodies: Record<string, string> = {
      root: `{"model":${JSON.stringify(model)},"messages":[{"role":"user","content":[{"text":"hi"}]}],${kj}:{"polluted":true}}`,
      message: `{"model":${JSON.stringify(model)},"messages":[{"role":"user","content":[{"text":"hi"}],${kj}:1}]}`,
      block: `{"model":${JSON.stringify(model)},"messages":[{"role":"user","content":[{"text":"hi",${kj}:1}]}]}`,
      inferenceConfig: `{"model":${JSON.stringify(model)},"messages":[{"role":"user","content":[{"text":"hi"}]}],"inferenceConfig":{${kj}:{"maxTokens":1}}}`,
    };
    return {
      kind: `hostile key ${where}`,
      method: 'POST' as const,
      path: '/v1/turns',
      headers: jsonHeaders,
      body: Buffer.from(bodies[where] ?? ''),
    };
  }),
  // Huge strings.
  fc.constantFrom('text', 'model', 'role', 'system').map((where) => {
    const huge = 'x'.repeat(where === 'text' || where === 'system' ? 2_000_001 : 100_000);
    const b: Record<string, unknown> = valid();
    if (where === 'text') b['messages'] = [{ role: 'user', content: [{ text: huge }] }];
    else if (where === 'model') b['model'] = `amazon-bedrock/${huge}`;
    else if (where === 'role') b['messages'] = [{ role: huge, content: [{ text: 'hi' }] }];
    else b['system'] = [{ text: huge }];
    return { kind: `huge ${where}`, method: 'POST' as const, path: '/v1/turns', headers: jsonHeaders, body: json(b) };
  }),
  // Deep nesting.
  fc
    .tuple(fc.integer({ min: 65, max: 20_000 }), fc.boolean(), fc.constantFrom('root', 'toolInput', 'inferenceConfig'))
    .map(([depth, asArray, where]) => {
      let body: Buffer;
      if (where === 'root') body = Buffer.from(`${'['.repeat(depth)}${']'.repeat(depth)}`);
      else if (where === 'toolInput') {
        body = json({
          model,
          messages: [
            { role: 'user', content: [{ text: 'hi' }] },
            { role: 'assistant', content: [{ toolUse: { toolUseId: 't1', name: 'f', input: nest(Math.min(depth, 3000), 1, asArray) } }] },
          ],
        });
      } else body = json({ ...valid(), inferenceConfig: nest(Math.min(depth, 3000), 1, asArray) });
      return { kind: `deep nesting ${where}`, method: 'POST' as const, path: '/v1/turns', headers: jsonHeaders, body };
    }),
  // Invalid base64 and oversized images.
  fc
    .oneof(
      fc
        .constantFrom('***', 'iVBORw0KGgo', 'iVBO Rw0K', '====', 'aGVsbG8=x', '\u00ff\u00fe', '')
        .map((data) => ({ data, kind: 'invalid base64 image' })),
      fc.constant({ data: Buffer.alloc(4 * 1024 * 1024, 7).toString('base64'), kind: 'oversized image' }),
    )
    .chain(({ data, kind }) =>
      fc.constantFrom('png', 'jpeg', 'gif', 'webp', 'bmp', '').map((format) => ({
        kind,
        method: 'POST' as const,
        path: '/v1/turns',
        headers: jsonHeaders,
        body: json({ model, messages: [{ role: 'user', content: [{ image: { format, data } }] }] }),
      })),
    ),
  // Unicode edge cases where only a narrow alphabet is allowed.
  fc.tuple(nastyText, fc.constantFrom('model', 'role', 'turnId', 'toolName')).map(([t, where]) => {
    const b: Record<string, unknown> = valid();
    if (where === 'model') b['model'] = `amazon-bedrock/${t}\uD800`;
    else if (where === 'role') b['messages'] = [{ role: `${t}x`, content: [{ text: 'hi' }] }];
    else if (where === 'turnId') b['turnId'] = `${t}\u0000`;
    else b['tools'] = [{ name: `${t} \u0000`, inputSchema: { type: 'object' } }];
    return { kind: `unicode ${where}`, method: 'POST' as const, path: '/v1/turns', headers: jsonHeaders, body: json(b) };
  }),
);

/** Bodies that are not JSON (or not an object), and content-type abuse. */
const badJson: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc
    .oneof(
      fc.constantFrom(
        '{',
        '{"model":',
        '{"a":1,}',
        "{'a':1}",
        'NaN',
        '[1,2',
        '\uFEFF{"model":1',
        '{"a":1}{"b":2}',
        '"just a string"',
        '42',
        'null',
        'true',
        '[]',
        '{"model": Infinity}',
      ),
      fc.uint8Array({ minLength: 1, maxLength: 200 }).map((a) => Buffer.from(a).toString('latin1')),
      fc.json().map((j) => j.slice(0, Math.max(1, j.length - 1))),
    )
    .map((text) => ({
      kind: 'malformed json',
      method: 'POST' as const,
      path: '/v1/turns',
      headers: jsonHeaders,
      body: Buffer.from(text, 'latin1'),
    })),
  fc
    .constantFrom(
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/jsonp',
      'image/png',
      '',
    )
    .map((ct): FuzzRequest => ({
      kind: 'content-type',
      method: 'POST',
      path: '/v1/turns',
      headers: ct === '' ? {} : { 'content-type': ct },
      body: json(valid()),
    })),
);

/** Header abuse on otherwise valid requests: Idempotency-Key, Last-Event-ID, Authorization-free, repeats. */
const badHeaders: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc
    .oneof(
      fc.constant('a'.repeat(257)),
      fc.constant('has space'),
      fc.constant('tab\there'),
      fc.constant(''),
      fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map((s) => `${s}\u0001`),
      fc.constant(['k1', 'k2'] as string[]),
    )
    .map((key) => ({
      kind: 'Idempotency-Key',
      method: 'POST' as const,
      path: '/v1/turns',
      headers: { ...jsonHeaders, 'idempotency-key': key },
      body: json(valid()),
    })),
  fc
    .oneof(fc.constantFrom('-1', '1e3', ' 1', '0x10', '99999999999999999999', 'abc', '1.5', '', '01'), fc.constant(['1', '2'] as string[]))
    .map((id) => ({ kind: 'Last-Event-ID', method: 'GET' as const, path: '/v1/turns/some-turn/events', headers: { 'last-event-id': id } })),
  fc.constantFrom('-1', 'abc', '1e3', '', '99999999999999999999').map((a) => ({
    kind: '?after=',
    method: 'GET' as const,
    path: `/v1/turns/some-turn/events?after=${encodeURIComponent(a)}`,
    headers: {},
  })),
);

/** Ids in paths: unknown, invalid alphabet, too long, traversal, encoded NULs. */
const badPaths: fc.Arbitrary<FuzzRequest> = fc
  .tuple(
    fc.oneof(
      fc.constantFrom(
        '..%2F..%2Fetc%2Fpasswd',
        '%00',
        '%E2%80%AE',
        'a'.repeat(300),
        '%F0%9F%98%80',
        '*',
        '{turnpool}',
        'x%0D%0AX-Injected:%201',
      ),
      fc.stringMatching(/^[A-Za-z0-9._-]{1,40}$/),
    ),
    fc.constantFrom('', '/events', '/cancel'),
  )
  .map(([id, suffix]) => ({
    kind: `id in path${suffix}`,
    method: suffix === '/cancel' ? ('POST' as const) : ('GET' as const),
    path: `/v1/turns/${id}${suffix}`,
    headers: suffix === '/cancel' ? jsonHeaders : {},
    ...(suffix === '/cancel' ? { body: Buffer.from('{}') } : {}),
  }));

/** Every hostile request kind, weighted towards the body corruptions. */
export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  { arbitrary: badTurnBody, weight: 5 },
  { arbitrary: badJson, weight: 2 },
  { arbitrary: badHeaders, weight: 2 },
  { arbitrary: badPaths, weight: 2 },
);
