import { readSse as readSseBody, type SseFrame } from '@turnpool/turn-store/web';
import { apiFetch } from './api-fetch.ts';

/**
 * Reads an SSE response with fetch and a stream reader (EventSource cannot send the
 * Authorization header): yields each frame until the server ends the response or `signal`
 * aborts. The parsing is turn-store's `readSse`, the client side of the dispatcher's `encodeSse`.
 */
export async function* readSse(path: string, signal: AbortSignal): AsyncGenerator<SseFrame> {
  const res = await apiFetch(path, { signal, headers: { accept: 'text/event-stream' } });
  if (!res.body) return;
  yield* readSseBody(res.body);
}
