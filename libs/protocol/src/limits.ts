/**
 * Limits that `parseTurnRequest` enforces. Each one is checked at the edge (the dispatcher),
 * so a turn that Bedrock would reject never reaches the queue. Sizes are bytes.
 */
export const limits = {
  /** Images per request, counted across messages and tool results (Bedrock: 20). */
  maxImages: 20,
  /** Decoded bytes per image (Bedrock: 3.75 MB). */
  maxImageBytes: 3.75 * 1024 * 1024,
  /** Documents per request (Bedrock: 5). */
  maxDocuments: 5,
  /** Decoded bytes (or text characters) per document (Bedrock: 4.5 MB). */
  maxDocumentBytes: 4.5 * 1024 * 1024,
  /** Approximate size of the whole request: string characters plus a few bytes per JSON node. */
  maxRequestBytes: 20 * 1024 * 1024,
  /** JSON nodes (objects, arrays, values) in the whole request. */
  maxRequestNodes: 500_000,
  /** Nesting depth of the whole request (root = 1). Protects the validator's recursion. */
  maxRequestDepth: 64,
  /** Nesting depth of one JSON value: a tool input, a JSON tool result, a tool input schema. */
  maxJsonDepth: 32,
  /** Messages in the conversation. */
  maxMessages: 2_000,
  /** Content blocks in one message. */
  maxBlocksPerMessage: 1_000,
  /** Characters in one text field (text block, system text, reasoning text, document text). */
  maxTextChars: 2_000_000,
  /** Characters in a model ref (`amazon-bedrock/<id>`, an alias, or an ARN). */
  maxModelRefChars: 512,
  /** Tools offered to the model. */
  maxTools: 256,
  /** Characters in a tool name (Bedrock: `^[a-zA-Z0-9_-]{1,64}$`). */
  maxToolNameChars: 64,
  /** Characters in a tool description. */
  maxToolDescriptionChars: 10_000,
  /** Characters in a tool-use id. */
  maxToolUseIdChars: 256,
  /** Stop sequences (Bedrock accepts a handful; Anthropic up to 8191 — we keep it small). */
  maxStopSequences: 16,
  /** Characters per stop sequence. */
  maxStopSequenceChars: 256,
  /** Upper bound on `inferenceConfig.maxTokens`. */
  maxOutputTokens: 1_000_000,
  /** Smallest thinking budget (Anthropic: 1024). */
  minReasoningBudgetTokens: 1024,
  /** Entries in `metadata`. */
  maxMetadataEntries: 16,
  /** Characters in a metadata key. */
  maxMetadataKeyChars: 64,
  /** Characters in a metadata value. */
  maxMetadataValueChars: 256,
  /** Characters in a caller-chosen `turnId` (charset `[A-Za-z0-9._-]`). */
  maxTurnIdChars: 128,
  /** Fallback models per request. */
  maxFallbacks: 8,
  /** Longest `maxWaitMs` a request may ask for (one hour). */
  maxWaitMs: 3_600_000,
  /** Characters in a document name. */
  maxDocumentNameChars: 200,
} as const;

/** Allowed `turnId` characters: no `:` `{` `}` or whitespace, so it is safe inside Redis key names. */
export const turnIdPattern = /^[A-Za-z0-9._-]+$/;

/** Allowed tool names (Bedrock's own rule). */
export const toolNamePattern = /^[a-zA-Z0-9_-]+$/;
