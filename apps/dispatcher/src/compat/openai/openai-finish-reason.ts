import type { UnifiedStopReason } from '@turnpool/protocol';

/** Chat Completions' `finish_reason` for a turn's stop reason. */
export function openAiFinishReason(stop: UnifiedStopReason): 'stop' | 'length' | 'tool_calls' | 'content_filter' {
  switch (stop) {
    case 'tool_use':
      return 'tool_calls';
    case 'max_tokens':
    case 'context_window_exceeded':
      return 'length';
    case 'content-filter':
      return 'content_filter';
    default:
      return 'stop';
  }
}
