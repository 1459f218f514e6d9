import { describe, expect, it } from 'vitest';
import type { TurnEvent } from '@turnpool/protocol';
import { applyEvent, emptyOutput } from './turn-output.ts';

// Only the fields the view reads: the fixtures leave the others out.
const ev = (seq: number, type: TurnEvent['type'], fields: Record<string, unknown> = {}, attempt = 1): TurnEvent =>
  ({ turnId: 'turn-1', type, seq, attempt, ts: seq, ...fields }) as TurnEvent;
const fold = (events: TurnEvent[]) => events.reduce(applyEvent, emptyOutput());

describe('applyEvent (what the turn view shows)', () => {
  it('builds reasoning, text and a tool call by block index, and keeps the terminal event and the host', () => {
    const out = fold([
      ev(1, 'turn-start', { worker: 'vm:42/t3', modelId: 'm', region: 'us-east-1' }),
      ev(2, 'reasoning-delta', { index: 0, text: 'Let me ' }),
      ev(3, 'reasoning-delta', { index: 0, text: 'think' }),
      ev(4, 'reasoning-delta', { index: 0, signature: 'sig' }),
      ev(5, 'block-end', { index: 0 }),
      ev(6, 'text-delta', { index: 1, text: 'Hel' }),
      ev(7, 'text-delta', { index: 1, text: 'lo' }),
      ev(8, 'tool-call-start', { index: 2, toolUseId: 't1', name: 'get_weather' }),
      ev(9, 'tool-input-delta', { index: 2, json: '{"city":' }),
      ev(10, 'tool-input-delta', { index: 2, json: '"Paris"}' }),
      ev(11, 'block-end', { index: 2 }),
      ev(12, 'turn-end', { stopReason: { unified: 'tool_use' } }),
    ]);
    expect(out.blocks).toEqual([
      { index: 0, kind: 'reasoning', text: 'Let me think', redacted: false, done: true },
      { index: 1, kind: 'text', text: 'Hello', done: false },
      { index: 2, kind: 'tool', text: '', name: 'get_weather', json: '{"city":"Paris"}', done: true },
    ]);
    expect(out.terminal?.type).toBe('turn-end');
    expect(out.host).toBe('vm:42');
    expect(out.lastSeq).toBe(12);
    expect(out.notes.map((n) => n.text)).toEqual(['attempt 1 started on vm:42/t3 (m, us-east-1)']);
  });

  it("drops the earlier attempt's partial output on turn-retry and ignores replayed seqs", () => {
    const first = fold([ev(1, 'turn-start', { worker: 'a:1/t1' }), ev(2, 'text-delta', { index: 0, text: 'partial' })]);
    const again = applyEvent(first, ev(2, 'text-delta', { index: 0, text: 'partial' }));
    expect(again).toBe(first);
    const retried = [
      ev(3, 'turn-retry', { reason: 'worker lost' }, 2),
      ev(4, 'turn-start', { worker: 'b:2/t1' }, 2),
      ev(5, 'text-delta', { index: 0, text: 'whole' }, 2),
    ].reduce(applyEvent, first);
    expect(retried.blocks).toEqual([{ index: 0, kind: 'text', text: 'whole', done: false }]);
    expect(retried.host).toBe('b:2');
  });
});
