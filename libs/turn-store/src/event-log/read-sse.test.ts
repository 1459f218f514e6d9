import { describe, expect, it } from 'vitest';
import { encodeSse } from './encode-sse.ts';
import { readSse, type SseFrame } from './read-sse.ts';

function bodyOf(chunks: string[]): ReadableStream<Uint8Array> {
  const enc = new TextEncoder();
  return new ReadableStream({
    start(c) {
      for (const ch of chunks) c.enqueue(enc.encode(ch));
      c.close();
    },
  });
}

async function all(body: ReadableStream<Uint8Array>): Promise<SseFrame[]> {
  const out: SseFrame[] = [];
  for await (const f of readSse(body)) out.push(f);
  return out;
}

describe('readSse', () => {
  it('reads what encodeSse writes, split at any byte, skipping comments and retry lines', async () => {
    const e = { type: 'text-delta', turnId: 't', attempt: 1, seq: 7, ts: 1, index: 0, text: 'a\nb\r\n</script>' };
    const wire = `retry: 1000\n\n: keep-alive\n\n${encodeSse(e)}`;
    for (let cut = 1; cut < wire.length; cut += 7) {
      const frames = await all(bodyOf([wire.slice(0, cut), wire.slice(cut)]));
      expect(frames).toEqual([
        {
          id: '7',
          event: 'text-delta',
          data: JSON.stringify(e).replace(/[<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
        },
      ]);
      expect(JSON.parse(frames[0]?.data ?? '')).toEqual(e);
    }
  });

  it('handles CRLF framing and multi-line data', async () => {
    expect(await all(bodyOf(['event: x\r\ndata: 1\r\ndata: 2\r\n\r\n']))).toEqual([{ event: 'x', data: '1\n2' }]);
  });

  it('refuses a frame over the bound instead of buffering it', async () => {
    await expect(all(bodyOf([`data: ${'x'.repeat(5000)}`]))).resolves.toEqual([]);
    const big = readSse(bodyOf([`data: ${'x'.repeat(5000)}`]), { maxFrameBytes: 1000 });
    await expect(big.next()).rejects.toThrow(/SSE frame over 1000 bytes/);
  });
});
