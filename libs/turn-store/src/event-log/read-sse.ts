/** One Server-Sent Events frame. */
export interface SseFrame {
  id?: string;
  event: string;
  data: string;
}

/**
 * The client side of `encodeSse`: parses a text/event-stream body (a fetch Response body) into
 * frames; comments (heartbeats) and `retry:` are skipped. Cancels the body when the consumer stops.
 * Bounded: a frame larger than `maxFrameBytes` throws instead of growing the buffer without end.
 */
export async function* readSse(body: ReadableStream<Uint8Array>, { maxFrameBytes = 2 * 1024 * 1024 } = {}): AsyncGenerator<SseFrame> {
  const decoder = new TextDecoder();
  let buf = '';
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      if (buf.length > maxFrameBytes && buf.search(/\r?\n\r?\n/) === -1) throw new Error(`SSE frame over ${maxFrameBytes} bytes`);
      let cut: number;
      while ((cut = buf.search(/\r?\n\r?\n/)) !== -1) {
        const raw = buf.slice(0, cut);
        buf = buf.slice(cut + (buf[cut] === '\r' ? 4 : 2));
        const frame: SseFrame = { event: 'message', data: '' };
        const data: string[] = [];
        for (const line of raw.split(/\r?\n/)) {
          if (line.startsWith(':') || line === '') continue;
          const i = line.indexOf(':');
          const field = i === -1 ? line : line.slice(0, i);
          const val = i === -1 ? '' : line.slice(i + 1).replace(/^ /, '');
          if (field === 'data') data.push(val);
          else if (field === 'event') frame.event = val;
          else if (field === 'id') frame.id = val;
        }
        if (data.length === 0) continue;
        frame.data = data.join('\n');
        yield frame;
      }
    }
  } finally {
    reader.releaseLock();
    // Cleanup of a body we stopped reading: a cancel that fails has nothing left to free.
    await body.cancel().catch(() => {});
  }
}
