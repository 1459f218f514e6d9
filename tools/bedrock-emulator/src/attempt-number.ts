import { createHash } from 'node:crypto';
import type { EmulatorState } from './emulator-state.ts';
import type { EmulatorRequest } from './http-types.ts';

/**
 * Which attempt of one logical invocation this request is: the SDK's `amz-sdk-request: attempt=N`, else a
 * count per `amz-sdk-invocation-id`, else a count per (model id, body) — so curl retries work too.
 */
export function attemptNumber(state: EmulatorState, req: EmulatorRequest, modelId: string, body: Buffer): number {
  const header = req.headers['amz-sdk-request'];
  const m = /attempt=(\d{1,4})/.exec(typeof header === 'string' ? header : '');
  if (m) return Number(m[1]);
  const inv = req.headers['amz-sdk-invocation-id'];
  const key =
    typeof inv === 'string' && inv.length <= 128
      ? `inv:${inv}`
      : `body:${createHash('sha256').update(modelId).update('\u0000').update(body).digest('hex')}`;
  if (state.attempts.size > 10_000) state.attempts.clear();
  const n = (state.attempts.get(key) ?? 0) + 1;
  state.attempts.set(key, n);
  return n;
}

/** How many times this exact request (model id + body) has been called, this call included. */
export function countCall(state: EmulatorState, modelId: string, body: Buffer): number {
  const key = `calls:${createHash('sha256').update(modelId).update('\u0000').update(body).digest('hex')}`;
  if (state.attempts.size > 10_000) state.attempts.clear();
  const n = (state.attempts.get(key) ?? 0) + 1;
  state.attempts.set(key, n);
  return n;
}
