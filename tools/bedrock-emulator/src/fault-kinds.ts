/**
 * Faults `faultRate` can pick. Pre-stream kinds answer with an HTTP error; `stream-*` kinds send an
 * in-stream exception after a few events; 'stall' pauses the stream for `stallMs`; 'cut' ends the body
 * in the middle of a message (the SDK reports "Truncated event message received"); 'reset' aborts the
 * stream (RST_STREAM); 'drop' closes the TCP connection without RST (on HTTP/2 the SDK's loop then ends
 * quietly, without messageStop/metadata).
 */
export const faultKinds = [
  'throttling',
  'service-unavailable',
  'internal-server',
  'model-not-ready',
  'model-timeout',
  'stream-model-error',
  'stream-throttling',
  'stream-internal-server',
  'stream-service-unavailable',
  'stream-validation',
  'stall',
  'cut',
  'reset',
  'drop',
] as const;

export type FaultKind = (typeof faultKinds)[number];

export function isFaultKind(value: unknown): value is FaultKind {
  return typeof value === 'string' && (faultKinds as readonly string[]).includes(value);
}
