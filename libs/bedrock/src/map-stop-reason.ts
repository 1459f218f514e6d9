import type { StopReason, UnifiedStopReason } from '@turnpool/protocol';

const unified: Record<string, UnifiedStopReason> = {
  end_turn: 'end_turn',
  tool_use: 'tool_use',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  guardrail_intervened: 'content-filter',
  content_filtered: 'content-filter',
  model_context_window_exceeded: 'context_window_exceeded',
};

/** Maps Bedrock's `messageStop.stopReason` to `{unified, raw}`; guardrail and content-filter stops are a `content-filter` stop, not an error. */
export function mapStopReason(raw: string | undefined): StopReason {
  const value = raw ?? '';
  return { unified: Object.prototype.hasOwnProperty.call(unified, value) ? (unified[value] as UnifiedStopReason) : 'other', raw: value };
}
