import { constants } from 'node:http2';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Socket } from 'node:net';
import type { EmulatorResponse } from './http-types.ts';
import { rawSocketOfSession } from './listen-dual-protocol.ts';

/** Aborts a response abruptly: RST_STREAM (INTERNAL_ERROR) on HTTP/2, a socket reset on HTTP/1.1. */
export function destroyResponse(res: EmulatorResponse): void {
  if ('stream' in res) {
    if (!res.stream.destroyed) res.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  } else {
    res.socket?.destroy();
  }
}

/**
 * Closes the whole TCP connection under a response without RST_STREAM (a "network drop"), once the
 * bytes already written have left (so "after N events" means N events were delivered).
 */
export async function dropConnection(res: EmulatorResponse): Promise<void> {
  let raw: Socket | null | undefined;
  if ('stream' in res) {
    const session = res.stream.session;
    raw = session === undefined ? undefined : rawSocketOfSession(session);
  } else raw = res.socket;
  if (raw === undefined || raw === null) {
    destroyResponse(res);
    return;
  }
  for (let i = 0; i < 50; i++) {
    await new Promise((r) => setImmediate(r));
    if (raw.writableLength === 0 && i >= 2) break;
    await sleep(2);
  }
  raw.destroy();
}
