import type { UnifiedStopReason } from '@turnpool/protocol';

/** Messages' `stop_reason` for a turn's stop reason. */
export function anthropicStopReason(
  stop: UnifiedStopReason,
): 'end_turn' | 'max_tokens' | 'stop_sequence' | 'tool_use' | 'refusal' | 'model_context_window_exceeded' {
  switch (stop) {
    case 'tool_use':
    case 'max_tokens':
    case 'stop_sequence':
      return stop;
    case 'content-filter':
      return 'refusal';
    case 'context_window_exceeded':
      return 'model_context_window_exceeded';
    default:
      return 'end_turn';
  }
}
