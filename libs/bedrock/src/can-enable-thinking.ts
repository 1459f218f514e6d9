import type { Message } from '@aws-sdk/client-bedrock-runtime';

/**
 * Anthropic rejects thinking when a tool-use loop is in progress (the last message holds tool
 * results) and the assistant message that made those calls does not start with a reasoning
 * block — e.g. a history from a non-thinking model or turn. Thinking is then left out of this
 * request instead of failing it; the next fresh user turn can think again.
 */
export function canEnableThinking(messages: readonly Message[]): boolean {
  const last = messages.at(-1);
  const inToolLoop = last?.role === 'user' && (last.content ?? []).some((b) => 'toolResult' in b && b.toolResult !== undefined);
  if (!inToolLoop) return true;
  const previous = messages.at(-2);
  if (previous?.role !== 'assistant') return true;
  const first = previous.content?.[0];
  return first !== undefined && 'reasoningContent' in first && first.reasoningContent !== undefined;
}
