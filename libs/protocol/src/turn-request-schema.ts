import { z } from 'zod';
import { contentBlockSchema, jsonObjectSchema, textSchema, toolNameSchema } from './content-block-schema.ts';
import { guardrailConfigSchema } from './guardrail-config-schema.ts';
import { limits, turnIdPattern } from './limits.ts';

/** `{role, content}`: one message of the conversation. */
export const messageSchema = z.strictObject({
  /** Who wrote it. Messages alternate, starting with `user`. */
  role: z.enum(['user', 'assistant']),
  /** Content blocks, at least one; a string is one text block (`"hi"` = `[{text: "hi"}]`). */
  content: z.preprocess(
    (content) => (typeof content === 'string' ? [{ text: content }] : content),
    z.array(contentBlockSchema).min(1, 'a message needs at least one content block').max(limits.maxBlocksPerMessage),
  ),
});

/** A system prompt block: text, optionally followed by a prompt-cache point. */
export const systemBlockSchema = z.strictObject({
  /** The text. */
  text: textSchema,
  /** Put a prompt-cache point after this block (only used when the model supports caching). */
  cachePoint: z.boolean().optional(),
});

/** A tool the model may call. */
export const toolSchema = z.strictObject({
  /** Tool name, `^[a-zA-Z0-9_-]{1,64}$`. */
  name: toolNameSchema,
  /** What the tool does, for the model. */
  description: z.string().min(1).max(limits.maxToolDescriptionChars).optional(),
  /** JSON Schema (an object) of the tool's input. */
  inputSchema: jsonObjectSchema,
});

/** How the model must use tools: `auto` (may), `any` (must call one), `{tool}` (must call that one). */
export const toolChoiceSchema = z.union([z.literal('auto'), z.literal('any'), z.strictObject({ tool: toolNameSchema })]);

/** Extended thinking: a token budget, or an effort level mapped to a budget by the request builder. */
export const reasoningConfigSchema = z.union([
  z.strictObject({ budgetTokens: z.int().min(limits.minReasoningBudgetTokens).max(limits.maxOutputTokens) }),
  z.strictObject({ effort: z.enum(['low', 'medium', 'high']) }),
]);

/** Sampling and length settings. All optional. */
export const inferenceConfigSchema = z.strictObject({
  /** Most tokens to generate. @defaultValue min(model.maxTokens, 4096), raised above a thinking budget */
  maxTokens: z.int().min(1).max(limits.maxOutputTokens).optional(),
  /** 0..1. @defaultValue the model's default */
  temperature: z.number().min(0).max(1).optional(),
  /** 0..1. @defaultValue the model's default */
  topP: z.number().min(0).max(1).optional(),
  /** Strings that end generation. */
  stopSequences: z.array(z.string().min(1).max(limits.maxStopSequenceChars)).max(limits.maxStopSequences).optional(),
});

/** Caller-chosen metadata carried with the turn (logs, job data); never sent to the model. */
export const metadataSchema = z
  .record(z.string().min(1).max(limits.maxMetadataKeyChars), z.string().max(limits.maxMetadataValueChars))
  .refine((m) => Object.keys(m).length <= limits.maxMetadataEntries, `at most ${limits.maxMetadataEntries} entries`);

/**
 * The turn request (`POST /v1/turns` body, and `request` in the job data). Strict: unknown
 * keys are rejected. Use `parseTurnRequest` rather than this schema directly: it adds the
 * size, depth and count limits and never throws.
 */
export const turnRequestSchema = z
  .strictObject({
    /** Model ref: `amazon-bedrock/<id>`, a configured alias, or omitted for `agents.defaults.model.primary`. */
    model: z.string().min(1).max(limits.maxModelRefChars).optional(),
    /** The conversation, oldest first; starts with a user message; roles alternate. */
    messages: z.array(messageSchema).min(1, 'at least one message is required').max(limits.maxMessages),
    /** System prompt: a string or text blocks (each may set `cachePoint`). */
    system: z.union([textSchema, z.array(systemBlockSchema).min(1).max(limits.maxBlocksPerMessage)]).optional(),
    /** Sampling and length settings. */
    inferenceConfig: inferenceConfigSchema.optional(),
    /** Tools the model may call. */
    tools: z.array(toolSchema).max(limits.maxTools).optional(),
    /** How the model must use the tools. @defaultValue 'auto' */
    toolChoice: toolChoiceSchema.optional(),
    /** Extended thinking (reasoning models only; ignored for others). */
    reasoning: reasoningConfigSchema.optional(),
    /** Small string map carried with the turn. */
    metadata: metadataSchema.optional(),
    /** Caller-chosen turn id (idempotency): `[A-Za-z0-9._-]`, at most 128 characters. */
    turnId: z
      .string()
      .min(1)
      .max(limits.maxTurnIdChars)
      .regex(turnIdPattern, 'may contain only letters, digits, ".", "_" and "-"')
      .optional(),
    /** Add prompt-cache points (after the system prompt, the tools and the last user message) where the model supports them. @defaultValue false */
    promptCache: z.boolean().optional(),
    /**
     * Models to move to, in order, when `model` cannot be admitted within `maxWaitMs`, is throttled,
     * over its daily quota or unavailable — never after output was published. Replaces
     * `agents.defaults.model.fallbacks` for this turn; `[]` turns fallbacks off.
     */
    fallbacks: z.array(z.string().min(1).max(limits.maxModelRefChars)).max(limits.maxFallbacks).optional(),
    /** Longest wait for the account's quota before falling back or failing with rate_limited, ms. @defaultValue config bedrock.admission.maxWaitMs */
    maxWaitMs: z.int().min(0).max(limits.maxWaitMs).optional(),
    /** A Bedrock guardrail for this turn; replaces the configured default (`plugins.entries["amazon-bedrock"].config.guardrail`) as a whole. @defaultValue the configured default, else none */
    guardrailConfig: guardrailConfigSchema.optional(),
  })
  .superRefine((req, ctx) => {
    checkConversation(req.messages, ctx);
    checkTools(req, ctx);
  });

type RequestShape = {
  messages: Array<z.output<typeof messageSchema>>;
  tools?: Array<z.output<typeof toolSchema>> | undefined;
  toolChoice?: z.output<typeof toolChoiceSchema> | undefined;
};

const assistantOnly = new Set(['toolUse', 'reasoning']);
const userOnly = new Set(['toolResult']);

function checkConversation(messages: RequestShape['messages'], ctx: z.RefinementCtx): void {
  let images = 0;
  let documents = 0;
  for (const [i, message] of messages.entries()) {
    if (i === 0 && message.role !== 'user') {
      ctx.addIssue({ code: 'custom', path: ['messages', 0, 'role'], message: 'the first message must be a user message' });
      return;
    }
    const previous = messages[i - 1];
    if (previous !== undefined && previous.role === message.role) {
      ctx.addIssue({ code: 'custom', path: ['messages', i, 'role'], message: 'roles must alternate between user and assistant' });
      return;
    }
    for (const [j, block] of message.content.entries()) {
      const kind = Object.keys(block)[0] ?? '';
      if ((message.role === 'user' && assistantOnly.has(kind)) || (message.role === 'assistant' && userOnly.has(kind))) {
        ctx.addIssue({
          code: 'custom',
          path: ['messages', i, 'content', j, kind],
          message: `${kind} blocks belong in ${message.role === 'user' ? 'assistant' : 'user'} messages`,
        });
        return;
      }
      if ('image' in block) images += 1;
      if ('toolResult' in block) images += block.toolResult.content.filter((c) => 'image' in c).length;
      if ('document' in block) documents += 1;
      if (images > limits.maxImages) {
        ctx.addIssue({ code: 'custom', path: ['messages', i, 'content', j], message: `at most ${limits.maxImages} images per request` });
        return;
      }
      if (documents > limits.maxDocuments) {
        ctx.addIssue({
          code: 'custom',
          path: ['messages', i, 'content', j],
          message: `at most ${limits.maxDocuments} documents per request`,
        });
        return;
      }
    }
  }
}

function checkTools(req: RequestShape, ctx: z.RefinementCtx): void {
  const names = new Set<string>();
  for (const [i, tool] of (req.tools ?? []).entries()) {
    if (names.has(tool.name)) {
      ctx.addIssue({ code: 'custom', path: ['tools', i, 'name'], message: `duplicate tool name "${tool.name}"` });
      return;
    }
    names.add(tool.name);
  }
  if (req.toolChoice !== undefined && names.size === 0) {
    ctx.addIssue({ code: 'custom', path: ['toolChoice'], message: 'toolChoice needs tools' });
  } else if (typeof req.toolChoice === 'object' && !names.has(req.toolChoice.tool)) {
    ctx.addIssue({ code: 'custom', path: ['toolChoice', 'tool'], message: `no tool named "${req.toolChoice.tool}" in tools` });
  }
}

/** A validated turn request. */
export type TurnRequest = z.output<typeof turnRequestSchema>;
/** One message of a turn request. */
export type TurnMessage = z.output<typeof messageSchema>;
/** A tool definition. */
export type ToolDefinition = z.output<typeof toolSchema>;
/** Tool choice. */
export type ToolChoice = z.output<typeof toolChoiceSchema>;
/** Reasoning settings. */
export type ReasoningConfig = z.output<typeof reasoningConfigSchema>;
/** A system prompt block. */
export type SystemBlock = z.output<typeof systemBlockSchema>;
