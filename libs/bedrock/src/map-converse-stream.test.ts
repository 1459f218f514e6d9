import { ThrottlingException, type ConverseStreamOutput } from '@aws-sdk/client-bedrock-runtime';
import { TurnError, type ModelPrices } from '@turnpool/protocol';
import { describe, expect, it } from 'vitest';
import { fixtureEvents, readFixture, streamOf } from './__fixtures__/fixture-events.ts';
import { mapConverseStream, type MapStreamContext, type MappedEventBody } from './map-converse-stream.ts';

const thinkingEvents = readFixture('text-then-tool-call-with-thinking.events');
const thinkingExpected = readFixture('text-then-tool-call-with-thinking.expected');
const novaEvents = readFixture('nova-tool-call.events');
const novaExpected = readFixture('nova-tool-call.expected');
const unusualEvents = readFixture('redacted-and-unusual.events');
const unusualExpected = readFixture('redacted-and-unusual.expected');
const guardrailEvents = readFixture('guardrail-intervened.events');
const guardrailExpected = readFixture('guardrail-intervened.expected');

/** A clock that moves 5 ms per reading, starting at 1000 (the request was sent at 1000). */
function fakeClock(): Pick<MapStreamContext, 'now' | 'startedAt'> {
  let t = 1000;
  return { startedAt: 1000, now: () => (t += 5) };
}

async function collect(events: Iterable<ConverseStreamOutput> | AsyncIterable<ConverseStreamOutput>, ctx: MapStreamContext = {}) {
  const out: MappedEventBody[] = [];
  const source = Symbol.asyncIterator in events ? events : streamOf([...events]);
  for await (const e of mapConverseStream(source, { ...fakeClock(), ...ctx })) out.push(e);
  return out;
}

async function failure(events: AsyncIterable<ConverseStreamOutput>, ctx: MapStreamContext = {}) {
  const seen: MappedEventBody[] = [];
  try {
    for await (const e of mapConverseStream(events, { ...fakeClock(), ...ctx })) seen.push(e);
  } catch (err) {
    return { err: err as TurnError, seen };
  }
  throw new Error('expected the stream to fail');
}

const sonnetPrices: ModelPrices = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };

describe('mapConverseStream: recorded sequences', () => {
  it('text then tool call with thinking (the wire doc sequence, with p padding)', async () => {
    expect(await collect(fixtureEvents(thinkingEvents), { prices: sonnetPrices })).toEqual(thinkingExpected);
  });

  it('a real Nova tool call: cost is null without prices', async () => {
    expect(await collect(fixtureEvents(novaEvents))).toEqual(novaExpected);
  });

  it('redacted reasoning, unknown events and deltas, blocks without a stop, "" tool input, a guardrail stop, cache tokens', async () => {
    expect(await collect(fixtureEvents(unusualEvents), { prices: sonnetPrices })).toEqual(unusualExpected);
  });

  it('a guardrail intervention: the blocked-output message, a content-filter stop and the guardrail trace in turn-end', async () => {
    expect(await collect(fixtureEvents(guardrailEvents), { prices: sonnetPrices })).toEqual(guardrailExpected);
  });
});

describe('mapConverseStream: invariants', () => {
  const text = (t: string, i = 0): ConverseStreamOutput => ({ contentBlockDelta: { contentBlockIndex: i, delta: { text: t } } });

  it('onEvent is called once per stream event, before the event is mapped (the watchdog heartbeat)', async () => {
    const order: string[] = [];
    const events = fixtureEvents(thinkingEvents);
    async function* noting(): AsyncGenerator<ConverseStreamOutput> {
      for (const e of events) {
        order.push('event');
        yield e;
      }
    }
    const out: MappedEventBody[] = [];
    for await (const e of mapConverseStream(noting(), { ...fakeClock(), onEvent: () => order.push('onEvent') })) {
      out.push(e);
      order.push('mapped');
    }
    expect(order.filter((x) => x === 'onEvent')).toHaveLength(events.length);
    // Every event is announced before whatever it maps to is yielded.
    expect(order.indexOf('onEvent')).toBe(1);
    expect(order.lastIndexOf('onEvent')).toBeLessThan(order.lastIndexOf('mapped'));
    expect(out.length).toBeGreaterThan(0);
  });
  const stop = (reason: string): ConverseStreamOutput[] => [
    { messageStop: { stopReason: reason as 'end_turn' } },
    { metadata: { usage: { inputTokens: 1, outputTokens: 2, totalTokens: 3 }, metrics: { latencyMs: 1 } } },
  ];
  const end = async (events: ConverseStreamOutput[]) => (await collect(events)).at(-1) as Extract<MappedEventBody, { type: 'turn-end' }>;

  it.each([
    ['end_turn', 'end_turn'],
    ['tool_use', 'tool_use'],
    ['max_tokens', 'max_tokens'],
    ['stop_sequence', 'stop_sequence'],
    ['guardrail_intervened', 'content-filter'],
    ['content_filtered', 'content-filter'],
    ['model_context_window_exceeded', 'context_window_exceeded'],
    ['malformed_tool_use', 'other'],
    ['something_new', 'other'],
  ])('maps stop reason %s to %s', async (raw, unified) => {
    expect((await end([text('a'), ...stop(raw)])).stopReason).toEqual({ unified, raw });
  });

  it('keeps only the documented, well-shaped guardrail trace members and drops an empty trace', async () => {
    const withTrace = (trace: unknown): ConverseStreamOutput[] => [
      text('a'),
      { messageStop: { stopReason: 'end_turn' } },
      {
        metadata: {
          usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2 },
          metrics: { latencyMs: 1 },
          trace: { guardrail: trace as never },
        },
      },
    ];
    expect((await end(withTrace({}))).guardrailTrace).toBeUndefined();
    expect((await end(withTrace('junk'))).guardrailTrace).toBeUndefined();
    expect(
      (await end(withTrace({ modelOutput: ['x', 7], outputAssessments: { g: [{}], bad: 'no' }, actionReason: 3, extra: 1 })))
        .guardrailTrace,
    ).toEqual({ modelOutput: ['x'], outputAssessments: { g: [{}] } });
  });

  it('parses tool inputs; invalid or cut-off JSON becomes {}', async () => {
    const last = await end([
      { contentBlockStart: { contentBlockIndex: 0, start: { toolUse: { toolUseId: 't1', name: 'a' } } } },
      { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{"x":[1,' } } } },
      { contentBlockStop: { contentBlockIndex: 0 } },
      ...stop('max_tokens'),
    ]);
    expect(last.message.content).toEqual([{ toolUse: { toolUseId: 't1', name: 'a', input: {} } }]);
  });

  it('tolerates a tool-use block without contentBlockStart', async () => {
    const out = await collect([
      { contentBlockDelta: { contentBlockIndex: 0, delta: { toolUse: { input: '{"a":1}' } } } },
      ...stop('tool_use'),
    ]);
    expect(out.map((e) => e.type)).toEqual(['tool-input-delta', 'block-end', 'turn-end']);
    expect((out.at(-1) as Extract<MappedEventBody, { type: 'turn-end' }>).message.content).toEqual([
      { toolUse: { toolUseId: 'tooluse_unknown_0', name: '', input: { a: 1 } } },
    ]);
  });

  it('reports ttft as null when no content arrived and fills usage with zeros when metadata is missing', async () => {
    const last = (await collect([{ messageStart: { role: 'assistant' } }, { messageStop: { stopReason: 'end_turn' } }])).at(-1);
    expect(last).toEqual({
      type: 'turn-end',
      stopReason: { unified: 'end_turn', raw: 'end_turn' },
      message: { role: 'assistant', content: [] },
      usage: { inputTokens: 0, outputTokens: 0, totalTokens: 0, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
      cost: null,
      timings: { ttftMs: null, totalMs: 5 },
    });
  });

  it('throws upstream_unavailable when the stream ends before messageStop, after yielding what arrived', async () => {
    const { err, seen } = await failure(streamOf([text('partial')]));
    expect(err).toBeInstanceOf(TurnError);
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'upstream_unavailable', retryable: true });
    expect(seen).toEqual([{ type: 'text-delta', index: 0, text: 'partial' }]);
  });

  it('throws a classified error for an in-stream exception member', async () => {
    const { err, seen } = await failure(
      streamOf<ConverseStreamOutput>([
        text('a'),
        { throttlingException: new ThrottlingException({ message: 'Too many tokens, please wait before trying again.', $metadata: {} }) },
      ]),
    );
    expect({ code: err.code, retryable: err.retryable }).toEqual({ code: 'rate_limited', retryable: true });
    expect(seen).toHaveLength(1);
  });

  it('classifies an in-stream exception member given as plain data (a recording)', async () => {
    const { err } = await failure(
      streamOf(fixtureEvents([{ modelStreamErrorException: { message: 'invalid sequence as part of ToolUse' } }])),
    );
    expect(err.code).toBe('upstream_unavailable');
    expect(err.message).toContain('invalid sequence as part of ToolUse');
  });

  it('classifies an error thrown by the stream itself (the SDK throws in-stream exceptions)', async () => {
    async function* throwing(): AsyncGenerator<ConverseStreamOutput> {
      yield text('a');
      throw new ThrottlingException({ message: 'slow down', $metadata: {} });
    }
    const { err } = await failure(throwing(), { modelId: 'm' });
    expect(err.code).toBe('rate_limited');
  });

  it('reports a watchdog abort with the watchdog error', async () => {
    const controller = new AbortController();
    async function* hanging(): AsyncGenerator<ConverseStreamOutput> {
      yield text('a');
      controller.abort(new TurnError('idle_timeout'));
      const e = new Error('The operation was aborted');
      e.name = 'AbortError';
      throw e;
    }
    const { err } = await failure(hanging(), { signal: controller.signal });
    expect(err.code).toBe('idle_timeout');
  });
});
