import { apiFetch } from './api-fetch.ts';

/** One Server-Sent Events frame. */
export interface SseFrame {
  event: string;
  id: string | null;
  data: string;
}

/**
 * Reads an SSE response with fetch and a stream reader (EventSource cannot send the
 * Authorization header): yields each frame until the server ends the response or `signal`
 * aborts. Comment lines (`: keep-alive`) and `retry:` are skipped.
 */
export async function* readSse(path: string, signal: AbortSignal): AsyncGenerator<SseFrame> {
  const res = await apiFetch(path, { signal, headers: { accept: 'text/event-stream' } });
  if (!res.body) return;
  const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let frame: SseFrame = { event: 'message', id: null, data: '' };
  let hasData = false;
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let nl: number;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, nl).replace(/\r$/, '');
        buffer = buffer.slice(nl + 1);
        if (line === '') {
          if (hasData) yield frame;
          frame = { event: 'message', id: null, data: '' };
          hasData = false;
          continue;
        }
        if (line.startsWith(':')) continue;
        const colon = line.indexOf(':');
        const field = colon === -1 ? line : line.slice(0, colon);
        const val = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') frame.event = val;
        else if (field === 'id') frame.id = val;
        else if (field === 'data') {
          frame.data = hasData ? `${frame.data}\n${val}` : val;
          hasData = true;
        }
      }
    }
  } finally {
    reader.cancel().catch(() => {
      // The stream is already closed or aborted: nothing left to release.
    });
  }
}
