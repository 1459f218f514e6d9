import { describe, expect, it } from 'vitest';
import { isTerminalEvent } from './is-terminal-event.ts';
import type { TurnEvent } from '@turnpool/protocol';

const base = { turnId: 't', attempt: 1, seq: 1, ts: 0 };

describe('isTerminalEvent', () => {
  it('is true only for turn-end, turn-error and turn-cancelled', () => {
    const events: TurnEvent[] = [
      { ...base, type: 'turn-start', model: 'm', modelId: 'id', region: 'us-east-1', worker: 'w' },
      { ...base, type: 'text-delta', index: 0, text: 'x' },
      { ...base, type: 'reasoning-delta', index: 0, signature: 's' },
      { ...base, type: 'tool-call-start', index: 0, toolUseId: 'a', name: 'n' },
      { ...base, type: 'tool-input-delta', index: 0, json: '{' },
      { ...base, type: 'block-end', index: 0 },
      { ...base, type: 'turn-retry', reason: 'worker lost' },
      {
        ...base,
        type: 'turn-end',
        stopReason: { unified: 'end_turn', raw: 'end_turn' },
        message: { role: 'assistant', content: [] },
        usage: { inputTokens: 1, outputTokens: 1, totalTokens: 2, cacheReadInputTokens: 0, cacheWriteInputTokens: 0 },
        cost: null,
        timings: { ttftMs: 1, totalMs: 2 },
      },
      { ...base, type: 'turn-error', code: 'internal', message: 'x', retryable: false },
      { ...base, type: 'turn-cancelled', by: 'client' },
    ];
    expect(events.filter((e) => isTerminalEvent(e)).map((e) => e.type)).toEqual(['turn-end', 'turn-error', 'turn-cancelled']);
    expect(isTerminalEvent({ type: 'turn-error', code: 'internal', message: 'x', retryable: false })).toBe(true);
  });
});
