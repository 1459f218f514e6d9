import { describe, expect, it } from 'vitest';
import { encodeSse } from './encode-sse.ts';
import { TurnStreamError } from './turn-stream-error.ts';
import type { TurnStreamEvent } from './turn-stream-event.ts';

const base: TurnStreamEvent = { type: 'text-delta', turnId: 't1', attempt: 1, seq: 7, ts: 1 };

/** A minimal SSE parser (per the WHATWG rules: lines end at CR, LF or CRLF). */
function parseSse(text: string): { id?: string; event?: string; data: string[] }[] {
  const frames: { id?: string; event?: string; data: string[] }[] = [];
  let cur: { id?: string; event?: string; data: string[] } = { data: [] };
  for (const line of text.split(/\r\n|\r|\n/)) {
    if (line === '') {
      if (cur.data.length || cur.id) frames.push(cur);
      cur = { data: [] };
      continue;
    }
    const i = line.indexOf(':');
    const field = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    if (field === 'id') cur.id = value;
    else if (field === 'event') cur.event = value;
    else if (field === 'data') cur.data.push(value);
  }
  return frames;
}

describe('encodeSse', () => {
  it('writes id, event and one data line', () => {
    expect(encodeSse({ ...base, text: 'hi' } as TurnStreamEvent)).toBe(
      'id: 7\nevent: text-delta\ndata: {"type":"text-delta","turnId":"t1","attempt":1,"seq":7,"ts":1,"text":"hi"}\n\n',
    );
  });

  it('keeps hostile text inside one frame and round-trips it', () => {
    const hostile = 'a\nb\r\nc\rd\n\ndata: forged\n\nid: 999\n</script><script>alert(1)</script>\u2028\u2029\u0000é🙂\\"';
    const event = { ...base, text: hostile, ...(JSON.parse('{"__proto__":{"polluted":true}}') as object) } as TurnStreamEvent;
    const frame = encodeSse(event);
    expect(frame.endsWith('\n\n')).toBe(true);
    expect(frame.slice(0, -2)).not.toMatch(/[\r\n\u2028\u2029]{2}|\r/);
    expect(frame.split('\n')).toHaveLength(5);
    expect(frame).not.toContain('</script>');
    const frames = parseSse(frame);
    expect(frames).toHaveLength(1);
    expect(frames[0]?.id).toBe('7');
    expect(frames[0]?.event).toBe('text-delta');
    expect(frames[0]?.data).toHaveLength(1);
    expect(JSON.parse(frames[0]?.data[0] ?? '')).toEqual(JSON.parse(JSON.stringify(event)));
    expect((JSON.parse(frames[0]?.data[0] ?? '') as { text: string }).text).toBe(hostile);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('refuses a type or seq that would be written raw', () => {
    for (const type of ['a\nb', 'x\r', '', 'a b', 'x'.repeat(65)]) {
      expect(() => encodeSse({ ...base, type })).toThrow(expect.objectContaining({ code: 'invalid_event', field: 'type' }));
    }
    for (const seq of [-1, 1.5, Number.NaN, Infinity, '3' as unknown as number]) {
      expect(() => encodeSse({ ...base, seq })).toThrow(TurnStreamError);
    }
    expect(() => encodeSse(null as unknown as TurnStreamEvent)).toThrow(expect.objectContaining({ field: 'event' }));
  });
});
