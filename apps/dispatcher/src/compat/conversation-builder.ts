/** One turnpool content block as a translator builds it (validated later by parseTurnRequest). */
export type DraftBlock = Record<string, unknown>;

/** A translated conversation, with where each block came from in the client's request. */
export interface DraftConversation {
  messages: { role: 'user' | 'assistant'; content: DraftBlock[] }[];
  /** `origins[i][j]`: the client's path of turnpool's `messages[i].content[j]` (for error messages). */
  origins: string[][];
}

/**
 * Collects turnpool messages from a client's conversation. Consecutive blocks of one role go
 * into one message (tool results of parallel calls, a user text after them), because turnpool
 * (like Bedrock) wants roles to alternate; each block remembers its client path.
 */
export function createConversationBuilder() {
  const conversation: DraftConversation = { messages: [], origins: [] };
  return {
    add(role: 'user' | 'assistant', block: DraftBlock, origin: string): void {
      const last = conversation.messages.at(-1);
      if (last && last.role === role) {
        last.content.push(block);
        conversation.origins.at(-1)?.push(origin);
      } else {
        conversation.messages.push({ role, content: [block] });
        conversation.origins.push([origin]);
      }
    },
    build(): DraftConversation {
      return conversation;
    },
  };
}
