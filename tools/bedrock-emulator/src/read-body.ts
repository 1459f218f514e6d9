import type { EmulatorRequest } from './http-types.ts';

export type BodyResult = { ok: true; body: Buffer } | { ok: false; reason: 'too-large' | 'aborted' };

/**
 * Reads a request body up to `maxBytes`. Past the cap it keeps draining (so the client can read the 413)
 * until 4x the cap, then gives up on the connection.
 */
export function readBody(req: EmulatorRequest, maxBytes: number): Promise<BodyResult> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (r: BodyResult): void => {
      if (done) return;
      done = true;
      resolve(r);
    };
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
      else if (size > maxBytes * 4) {
        finish({ ok: false, reason: 'too-large' });
        req.destroy();
      }
    });
    req.on('end', () => finish(size > maxBytes ? { ok: false, reason: 'too-large' } : { ok: true, body: Buffer.concat(chunks) }));
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    req.on('close', () => finish(size > maxBytes ? { ok: false, reason: 'too-large' } : { ok: false, reason: 'aborted' }));
  });
}
