import { describe, expect, it } from 'vitest';
import { limits } from './limits.ts';
import { parseTurnRequest } from './parse-turn-request.ts';

const user = (...content: unknown[]) => ({ role: 'user', content });
const assistant = (...content: unknown[]) => ({ role: 'assistant', content });
const req = (extra: Record<string, unknown> = {}, messages: unknown[] = [user({ text: 'hi' })]) => ({ messages, ...extra });
const b64 = (bytes: number) => Buffer.alloc(bytes, 7).toString('base64');

function failure(input: unknown) {
  const r = parseTurnRequest(input);
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value).slice(0, 200)}`);
  return r.error;
}

describe('parseTurnRequest: accepts', () => {
  it('a full request and returns it unchanged', () => {
    const input = {
      model: 'amazon-bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0',
      turnId: 'turn_01.a-b',
      system: [{ text: 'You are terse.', cachePoint: true }, { text: 'More.' }],
      messages: [
        user(
          { text: 'Weather in Paris?' },
          { image: { format: 'png', data: b64(10) } },
          { document: { format: 'txt', name: 'notes (v2) [draft]', text: 'hello' } },
        ),
        assistant(
          { reasoning: { text: 'think', signature: 'sig' } },
          { reasoning: { redacted: b64(4) } },
          { text: 'Checking.' },
          { toolUse: { toolUseId: 'tooluse_1', name: 'get_weather', input: { city: 'Paris', n: [1, { a: null }] } } },
        ),
        user({
          toolResult: {
            toolUseId: 'tooluse_1',
            status: 'success',
            content: [{ text: 'sunny' }, { json: { t: 21 } }, { image: { format: 'jpeg', data: b64(3) } }],
          },
        }),
      ],
      inferenceConfig: { maxTokens: 1000, temperature: 0.2, topP: 0.9, stopSequences: ['END'] },
      tools: [{ name: 'get_weather', description: 'd', inputSchema: { type: 'object', properties: { city: { type: 'string' } } } }],
      toolChoice: { tool: 'get_weather' },
      reasoning: { budgetTokens: 2048 },
      metadata: { user: 'u1' },
      promptCache: true,
      guardrailConfig: { guardrailIdentifier: 'gr1abc', guardrailVersion: 'DRAFT', trace: 'enabled_full', streamProcessingMode: 'async' },
    };
    const r = parseTurnRequest(input);
    expect(r).toEqual({ ok: true, value: input });
  });

  it('a system prompt as a string, effort-based reasoning and toolChoice any', () => {
    const r = parseTurnRequest(
      req({ system: 'sys', reasoning: { effort: 'high' }, toolChoice: 'any', tools: [{ name: 't', inputSchema: {} }] }),
    );
    expect(r.ok).toBe(true);
  });

  it('a guardrailConfig by id or ARN, with a version number or DRAFT, trace and stream mode optional', () => {
    for (const guardrailConfig of [
      { guardrailIdentifier: 'abc123', guardrailVersion: '1' },
      {
        guardrailIdentifier: 'arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123',
        guardrailVersion: '12345678',
        trace: 'disabled',
        streamProcessingMode: 'sync',
      },
      {
        guardrailIdentifier: 'arn:aws-us-gov:bedrock:us-gov-west-1:123456789012:guardrail/x9',
        guardrailVersion: 'DRAFT',
        trace: 'enabled',
      },
    ]) {
      expect(parseTurnRequest(req({ guardrailConfig }))).toEqual({ ok: true, value: req({ guardrailConfig }) });
    }
  });

  it('string content as one text block, in either role', () => {
    const r = parseTurnRequest({
      messages: [
        { role: 'user', content: 'hello' },
        { role: 'assistant', content: 'hi' },
        { role: 'user', content: 'again' },
      ],
    });
    expect(r.ok && r.value.messages.map((m) => m.content)).toEqual([[{ text: 'hello' }], [{ text: 'hi' }], [{ text: 'again' }]]);
    expect(failure({ messages: [{ role: 'user', content: '' }] }).field).toBe('messages[0].content[0].text');
    expect(failure({ messages: [{ role: 'user', content: 5 }] }).field).toBe('messages[0].content');
  });

  it('exactly the image limits', () => {
    const images = Array.from({ length: limits.maxImages }, () => ({ image: { format: 'webp', data: b64(4) } }));
    expect(parseTurnRequest(req({}, [user(...images)])).ok).toBe(true);
    expect(parseTurnRequest(req({}, [user({ image: { format: 'gif', data: b64(limits.maxImageBytes) } })])).ok).toBe(true);
  });
});

describe('parseTurnRequest: rejects, naming the field', () => {
  const cases: Array<[string, unknown, string | undefined, string]> = [
    ['a non-object', 'hello', 'body', 'invalid_request'],
    ['null', null, 'body', 'invalid_request'],
    ['missing messages', {}, 'messages', 'invalid_request'],
    ['empty messages', req({}, []), 'messages', 'invalid_request'],
    ['an unknown top-level key', req({ stream: true }), 'stream', 'invalid_request'],
    [
      'an unknown key in a block',
      req({}, [user({ image: { format: 'png', data: b64(3), url: 'x' } })]),
      'messages[0].content[0].image.url',
      'invalid_request',
    ],
    ['an unknown block kind', req({}, [user({ video: {} })]), 'messages[0].content[0]', 'invalid_request'],
    ['a bad role', req({}, [{ role: 'system', content: [{ text: 'x' }] }]), 'messages[0].role', 'invalid_request'],
    ['an empty content array', req({}, [user()]), 'messages[0].content', 'invalid_request'],
    ['an empty text', req({}, [user({ text: '' })]), 'messages[0].content[0].text', 'invalid_request'],
    ['a first assistant message', req({}, [assistant({ text: 'x' })]), 'messages[0].role', 'invalid_request'],
    ['roles that do not alternate', req({}, [user({ text: 'a' }), user({ text: 'b' })]), 'messages[1].role', 'invalid_request'],
    [
      'toolUse in a user message',
      req({}, [user({ toolUse: { toolUseId: 'a', name: 'b', input: {} } })]),
      'messages[0].content[0].toolUse',
      'invalid_request',
    ],
    [
      'toolResult in an assistant message',
      req({}, [user({ text: 'a' }), assistant({ toolResult: { toolUseId: 'a', content: [] } })]),
      'messages[1].content[0].toolResult',
      'invalid_request',
    ],
    ['reasoning in a user message', req({}, [user({ reasoning: { text: 'x' } })]), 'messages[0].content[0].reasoning', 'invalid_request'],
    [
      'an image format',
      req({}, [user({ image: { format: 'bmp', data: b64(3) } })]),
      'messages[0].content[0].image.format',
      'invalid_request',
    ],
    [
      'image data that is not base64',
      req({}, [user({ text: 'a' }, { text: 'b' }, { text: 'c' }, { image: { format: 'png', data: 'not base64!' } })]),
      'messages[0].content[3].image.data',
      'invalid_request',
    ],
    ['unpadded base64', req({}, [user({ image: { format: 'png', data: 'AQI' } })]), 'messages[0].content[0].image.data', 'invalid_request'],
    [
      'an image over 3.75 MB',
      req({}, [user({ image: { format: 'png', data: b64(limits.maxImageBytes + 1) } })]),
      'messages[0].content[0].image.data',
      'payload_too_large',
    ],
    [
      'a document over 4.5 MB',
      req({}, [user({ document: { format: 'pdf', name: 'a', data: b64(limits.maxDocumentBytes + 3) } })]),
      'messages[0].content[0].document.data',
      'payload_too_large',
    ],
    [
      'a document text over 4.5 MB',
      req({}, [user({ document: { format: 'txt', name: 'a', text: 'x'.repeat(limits.maxDocumentBytes + 1) } })]),
      'messages[0].content[0].document.text',
      'payload_too_large',
    ],
    [
      'a document with both data and text',
      req({}, [user({ document: { format: 'txt', name: 'a', text: 'x', data: b64(3) } })]),
      'messages[0].content[0].document.data',
      'invalid_request',
    ],
    [
      'a document with a bad name',
      req({}, [user({ document: { format: 'txt', name: 'a/b.txt', text: 'x' } })]),
      'messages[0].content[0].document.name',
      'invalid_request',
    ],
    [
      'a tool input that is not an object',
      req({}, [user({ text: 'a' }), assistant({ toolUse: { toolUseId: 'a', name: 'b', input: [1] } })]),
      'messages[1].content[0].toolUse.input',
      'invalid_request',
    ],
    ['a bad tool name', req({ tools: [{ name: 'no spaces', inputSchema: {} }] }), 'tools[0].name', 'invalid_request'],
    [
      'a duplicate tool name',
      req({
        tools: [
          { name: 'a', inputSchema: {} },
          { name: 'a', inputSchema: {} },
        ],
      }),
      'tools[1].name',
      'invalid_request',
    ],
    ['toolChoice without tools', req({ toolChoice: 'auto' }), 'toolChoice', 'invalid_request'],
    [
      'toolChoice naming an unknown tool',
      req({ tools: [{ name: 'a', inputSchema: {} }], toolChoice: { tool: 'b' } }),
      'toolChoice.tool',
      'invalid_request',
    ],
    ['a bad toolChoice', req({ tools: [{ name: 'a', inputSchema: {} }], toolChoice: 'none' }), 'toolChoice', 'invalid_request'],
    ['a thinking budget below 1024', req({ reasoning: { budgetTokens: 1000 } }), 'reasoning.budgetTokens', 'invalid_request'],
    ['a bad effort', req({ reasoning: { effort: 'max' } }), 'reasoning.effort', 'invalid_request'],
    ['a temperature above 1', req({ inferenceConfig: { temperature: 1.5 } }), 'inferenceConfig.temperature', 'invalid_request'],
    ['a fractional maxTokens', req({ inferenceConfig: { maxTokens: 10.5 } }), 'inferenceConfig.maxTokens', 'invalid_request'],
    [
      'too many stop sequences',
      req({ inferenceConfig: { stopSequences: Array.from({ length: 17 }, (_, i) => `s${i}`) } }),
      'inferenceConfig.stopSequences',
      'invalid_request',
    ],
    ['a turnId with a colon', req({ turnId: 'a:b' }), 'turnId', 'invalid_request'],
    ['a turnId with braces', req({ turnId: '{x}' }), 'turnId', 'invalid_request'],
    ['a long turnId', req({ turnId: 'a'.repeat(129) }), 'turnId', 'invalid_request'],
    ['a non-string metadata value', req({ metadata: { a: 1 } }), 'metadata.a', 'invalid_request'],
    [
      'too many metadata entries',
      req({ metadata: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) }),
      'metadata',
      'invalid_request',
    ],
    ['a long model ref', req({ model: 'm'.repeat(513) }), 'model', 'invalid_request'],
    ['a cachePoint that is not a boolean', req({ system: [{ text: 'a', cachePoint: 'yes' }] }), 'system[0].cachePoint', 'invalid_request'],
    ['a guardrailConfig that is not an object', req({ guardrailConfig: 'abc123' }), 'guardrailConfig', 'invalid_request'],
    [
      'a guardrailConfig without identifier',
      req({ guardrailConfig: { guardrailVersion: '1' } }),
      'guardrailConfig.guardrailIdentifier',
      'invalid_request',
    ],
    [
      'a guardrailConfig without version',
      req({ guardrailConfig: { guardrailIdentifier: 'abc' } }),
      'guardrailConfig.guardrailVersion',
      'invalid_request',
    ],
    [
      'a guardrail identifier with upper case',
      req({ guardrailConfig: { guardrailIdentifier: 'ABC', guardrailVersion: '1' } }),
      'guardrailConfig.guardrailIdentifier',
      'invalid_request',
    ],
    [
      'a guardrail ARN of another kind',
      req({ guardrailConfig: { guardrailIdentifier: 'arn:aws:bedrock:us-east-1:123456789012:model/abc', guardrailVersion: '1' } }),
      'guardrailConfig.guardrailIdentifier',
      'invalid_request',
    ],
    [
      'a guardrail version 0',
      req({ guardrailConfig: { guardrailIdentifier: 'abc', guardrailVersion: '0' } }),
      'guardrailConfig.guardrailVersion',
      'invalid_request',
    ],
    [
      'a guardrail version that is a number',
      req({ guardrailConfig: { guardrailIdentifier: 'abc', guardrailVersion: 1 } }),
      'guardrailConfig.guardrailVersion',
      'invalid_request',
    ],
    [
      'a bad guardrail trace',
      req({ guardrailConfig: { guardrailIdentifier: 'abc', guardrailVersion: '1', trace: 'full' } }),
      'guardrailConfig.trace',
      'invalid_request',
    ],
    [
      'a bad guardrail stream mode',
      req({ guardrailConfig: { guardrailIdentifier: 'abc', guardrailVersion: '1', streamProcessingMode: 'batch' } }),
      'guardrailConfig.streamProcessingMode',
      'invalid_request',
    ],
    [
      'an unknown guardrailConfig key',
      req({ guardrailConfig: { guardrailIdentifier: 'abc', guardrailVersion: '1', mode: 'x' } }),
      'guardrailConfig.mode',
      'invalid_request',
    ],
  ];
  for (const [name, input, field, code] of cases) {
    it(name, () => {
      const error = failure(input);
      expect({ field: error.field, code: error.code }).toEqual({ field, code });
      if (field !== undefined) expect(error.message.startsWith(`${field}: `)).toBe(true);
      expect(error.retryable).toBe(false);
    });
  }

  it('more than 20 images, counting tool-result images', () => {
    const images = Array.from({ length: limits.maxImages }, () => ({ image: { format: 'png', data: b64(3) } }));
    const error = failure(
      req({}, [
        user(...images),
        assistant({ toolUse: { toolUseId: 't', name: 'n', input: {} } }),
        user({ toolResult: { toolUseId: 't', content: [{ image: { format: 'png', data: b64(3) } }] } }),
      ]),
    );
    expect(error.field).toBe('messages[2].content[0]');
    expect(error.message).toContain('20 images');
  });

  it('more than 5 documents', () => {
    const docs = Array.from({ length: 6 }, (_, i) => ({ document: { format: 'txt', name: `d${i}`, text: 'x' } }));
    expect(failure(req({}, [user(...docs)])).field).toBe('messages[0].content[5]');
  });

  it('a tool input nested deeper than the JSON limit', () => {
    let deep: unknown = {};
    for (let i = 0; i < limits.maxJsonDepth + 1; i += 1) deep = { d: deep };
    const error = failure(req({}, [user({ text: 'a' }), assistant({ toolUse: { toolUseId: 'a', name: 'b', input: deep } })]));
    expect(error.field).toBe('messages[1].content[0].toolUse.input');
  });
});

describe('parseTurnRequest: hostile input', () => {
  it('rejects __proto__ keys anywhere, naming them', () => {
    const inputs = [
      '{"__proto__":{"polluted":1},"messages":[{"role":"user","content":[{"text":"x"}]}]}',
      '{"messages":[{"role":"user","content":[{"text":"x"}]}],"metadata":{"__proto__":"x"}}',
      '{"messages":[{"role":"user","content":[{"text":"x"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"a","name":"b","input":{"__proto__":{"isAdmin":true}}}}]}]}',
    ];
    const fields = ['__proto__', 'metadata.__proto__', 'messages[1].content[0].toolUse.input.__proto__'];
    for (const [i, text] of inputs.entries()) {
      const error = failure(JSON.parse(text));
      expect(error.field).toBe(fields[i]);
      expect(error.code).toBe('invalid_request');
    }
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(({} as Record<string, unknown>)['isAdmin']).toBeUndefined();
  });

  it('rejects deep nesting without overflowing the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i += 1) deep = [deep];
    const error = failure(req({ metadata: deep }));
    expect(error.code).toBe('invalid_request');
    expect(error.message).toContain('nested deeper');
  });

  it('rejects a cyclic object', () => {
    const cyclic: Record<string, unknown> = { messages: [user({ text: 'x' })] };
    cyclic['self'] = cyclic;
    expect(failure(cyclic).code).toBe('invalid_request');
  });

  it('rejects a huge string as payload_too_large before validating it', () => {
    const error = failure(req({}, [user({ text: 'x'.repeat(limits.maxRequestBytes + 1) })]));
    expect({ code: error.code, field: error.field }).toEqual({ code: 'payload_too_large', field: 'messages[0].content[0].text' });
  });

  it('rejects a sparse array claiming a billion entries', () => {
    const error = failure({ messages: new Array(1_000_000_000) });
    expect(error.code).toBe('payload_too_large');
  });

  it('never throws on getters that throw', () => {
    const evil = {
      get messages(): unknown {
        throw new Error('boom');
      },
    };
    const error = failure(evil);
    expect(error.code).toBe('invalid_request');
  });
});
