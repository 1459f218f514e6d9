/** One Server-Sent Events frame. */
export interface SseFrame {
  id?: string;
  event: string;
  data: string;
}

/** Parses a text/event-stream body into frames (comments and `retry:` skipped). Bounded: a frame over 1 MiB throws. */
export async function* readSse(body: ReadableStream<Uint8Array>): AsyncGenerator<SseFrame> {
  const decoder = new TextDecoder();
  let buf = '';
  const reader = body.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buf += decoder.decode(value, { stream: true });
      if (buf.length > 1024 * 1024) throw new Error('SSE frame over 1 MiB');
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
    await body.cancel().catch(() => {});
  }
}
