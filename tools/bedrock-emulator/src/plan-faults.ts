import type { Directives } from './directives.ts';
import type { FaultKind } from './fault-kinds.ts';

/** The fault a runtime call will suffer, merged from directives and `faultRate`. */
export interface FaultPlan {
  /** Answer this error before any stream byte. */
  preStream?: string;
  /** After `after` events: an in-stream exception (`error`), a pause (`stallMs`), a truncated message (`cut`) or a reset. */
  inStream?: { after: number; error?: string; stallMs?: number; cut?: boolean; reset?: boolean; drop?: boolean };
}

const preKinds: Partial<Record<FaultKind, string>> = {
  throttling: 'ThrottlingException',
  'service-unavailable': 'ServiceUnavailableException',
  'internal-server': 'InternalServerException',
  'model-not-ready': 'ModelNotReadyException',
  'model-timeout': 'ModelTimeoutException',
};
const streamKinds: Partial<Record<FaultKind, string>> = {
  'stream-model-error': 'ModelStreamErrorException',
  'stream-throttling': 'ThrottlingException',
  'stream-internal-server': 'InternalServerException',
  'stream-service-unavailable': 'ServiceUnavailableException',
  'stream-validation': 'ValidationException',
};

/** Directive faults win; otherwise, with probability `rate`, one of `kinds` at a random point of the stream. */
export function planFaults(
  d: Directives,
  rate: number,
  kinds: readonly FaultKind[],
  stallMs: number,
  eventCount: number,
  random: () => number,
): FaultPlan {
  if (d.error?.after === undefined && d.error !== undefined) return { preStream: d.error.name };
  if (d.error?.after !== undefined) return { inStream: { after: d.error.after, error: d.error.name } };
  if (d.stall) return { inStream: { after: d.stall.after, stallMs: d.stall.ms } };
  if (d.cut) return { inStream: { after: d.cut.after, cut: true } };
  if (d.reset) return { inStream: { after: d.reset.after, reset: true } };
  if (d.drop) return { inStream: { after: d.drop.after, drop: true } };
  if (rate <= 0 || kinds.length === 0 || random() >= rate) return {};
  const kind = kinds[Math.floor(random() * kinds.length)] as FaultKind;
  const after = 1 + Math.floor(random() * Math.max(1, eventCount - 2));
  const pre = preKinds[kind];
  if (pre !== undefined) return { preStream: pre };
  const stream = streamKinds[kind];
  if (stream !== undefined) return { inStream: { after, error: stream } };
  if (kind === 'stall') return { inStream: { after, stallMs } };
  if (kind === 'reset') return { inStream: { after, reset: true } };
  if (kind === 'drop') return { inStream: { after, drop: true } };
  return { inStream: { after, cut: true } };
}
