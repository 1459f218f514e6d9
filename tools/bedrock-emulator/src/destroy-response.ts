import { constants } from 'node:http2';
import type { EmulatorResponse } from './http-types.ts';

/** Aborts a response abruptly: RST_STREAM (INTERNAL_ERROR) on HTTP/2, a socket reset on HTTP/1.1. */
export function destroyResponse(res: EmulatorResponse): void {
  if ('stream' in res) {
    if (!res.stream.destroyed) res.stream.close(constants.NGHTTP2_INTERNAL_ERROR);
  } else {
    res.socket?.destroy();
  }
}
