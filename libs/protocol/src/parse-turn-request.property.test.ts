import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTurnRequest } from './parse-turn-request.ts';
import { TurnError } from './turn-error.ts';

const textBlock = fc.record({ text: fc.string({ minLength: 1, maxLength: 40 }) });
const base64 = fc.uint8Array({ maxLength: 30 }).map((b) => Buffer.from(b).toString('base64'));
const imageBlock = fc.record({
  image: fc.record({ format: fc.constantFrom('png', 'jpeg', 'gif', 'webp'), data: base64.filter((s) => s !== '') }),
});
const toolName = fc.stringMatching(/^[a-zA-Z0-9_-]{1,20}$/);
const jsonObject = fc.dictionary(
  fc.string({ maxLength: 8 }).filter((k) => k !== '__proto__'),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Valid requests: alternating user/assistant messages with the block kinds each role allows. */
const validRequest = fc.record(
  {
    messages: fc
      .array(
        fc.tuple(
          fc.array(fc.oneof(textBlock, imageBlock), { minLength: 1, maxLength: 3 }),
          fc.array(
            fc.oneof(
              textBlock,
              fc.record({
                toolUse: fc.record({ toolUseId: fc.string({ minLength: 1, maxLength: 10 }), name: toolName, input: jsonObject }),
              }),
              fc.record({
                reasoning: fc.record({ text: fc.string({ maxLength: 20 }), signature: fc.string({ minLength: 1, maxLength: 10 }) }),
              }),
            ),
            { minLength: 1, maxLength: 3 },
          ),
        ),
        { minLength: 1, maxLength: 4 },
      )
      .map((pairs) => {
        const messages: unknown[] = [];
        let images = 0;
        for (const [u, a] of pairs) {
          const userContent = u.filter((b) => !('image' in b) || ++images <= 20);
          messages.push(
            { role: 'user', content: userContent.length > 0 ? userContent : [{ text: 'x' }] },
            { role: 'assistant', content: a },
          );
        }
        messages.push({ role: 'user', content: [{ text: 'go on' }] });
        return messages;
      }),
    inferenceConfig: fc.record(
      { maxTokens: fc.integer({ min: 1, max: 100_000 }), temperature: fc.double({ min: 0, max: 1, noNaN: true }) },
      { requiredKeys: [] },
    ),
    metadata: fc.dictionary(fc.stringMatching(/^[a-z]{1,10}$/), fc.string({ maxLength: 20 }), { maxKeys: 16 }),
    turnId: fc.stringMatching(/^[A-Za-z0-9._-]{1,128}$/),
    promptCache: fc.boolean(),
  },
  { requiredKeys: ['messages'] },
);

describe('parseTurnRequest (property)', () => {
  it('never throws on any JSON value and always answers ok or a TurnError', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (input) => {
        const r = parseTurnRequest(input);
        if (!r.ok) expect(r.error).toBeInstanceOf(TurnError);
      }),
      { numRuns: 500 },
    );
  });

  it('never throws on mutated valid requests (wrong types, extra keys, __proto__)', () => {
    const mutation = fc.oneof(
      fc.constant((o: Record<string, unknown>) => {
        o['__proto__'] = 1;
      }),
      fc.constant((o: Record<string, unknown>) => {
        o['extra'] = { a: 1 };
      }),
      fc.constant((o: Record<string, unknown>) => {
        o['messages'] = 'x';
      }),
      fc.anything().map((v) => (o: Record<string, unknown>) => {
        o['model'] = v;
      }),
      fc.anything().map((v) => (o: Record<string, unknown>) => {
        o['system'] = v;
      }),
    );
    fc.assert(
      fc.property(validRequest, mutation, (request, mutate) => {
        const copy = JSON.parse(JSON.stringify(request)) as Record<string, unknown>;
        mutate(copy);
        const r = parseTurnRequest(JSON.parse(JSON.stringify(copy)));
        if (!r.ok) {
          expect(r.error).toBeInstanceOf(TurnError);
          expect(['invalid_request', 'payload_too_large']).toContain(r.error.code);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accepts every valid request and returns a value equal to the input', () => {
    fc.assert(
      fc.property(validRequest, (request) => {
        const input = JSON.parse(JSON.stringify(request)) as unknown;
        const r = parseTurnRequest(input);
        expect(r.ok ? 'ok' : r.error.message).toBe('ok');
        if (r.ok) expect(r.value).toEqual(input);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on arbitrary non-JSON values', () => {
    fc.assert(
      fc.property(
        fc.anything({ withBigInt: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true }),
        (input) => {
          parseTurnRequest(input);
          parseTurnRequest({ messages: [{ role: 'user', content: [input] }] });
        },
      ),
      { numRuns: 500 },
    );
  });
});
