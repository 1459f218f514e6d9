import { z } from 'zod';
import { decodedBase64Length, isBase64, maxBase64Length } from './base64.ts';
import { jsonDepth } from './json-depth.ts';
import { limits, toolNamePattern } from './limits.ts';

/** Issue params that make `parseTurnRequest` answer `payload_too_large` instead of `invalid_request`. */
export const tooLargeParams = { turnErrorCode: 'payload_too_large' } as const;

function megabytes(bytes: number): string {
  return `${Math.round((bytes / (1024 * 1024)) * 100) / 100} MB`;
}

/** A base64 string whose decoded size is at most `maxBytes`; `what` names it in errors. */
export function base64BytesSchema(maxBytes: number, what: string) {
  return z.string().superRefine((s, ctx) => {
    if (s.length > maxBase64Length(maxBytes)) {
      ctx.addIssue({
        code: 'custom',
        params: tooLargeParams,
        message: `${what} is larger than ${megabytes(maxBytes)} decoded`,
      });
      return;
    }
    if (s.length === 0) ctx.addIssue({ code: 'custom', message: `${what} is empty` });
    else if (!isBase64(s)) ctx.addIssue({ code: 'custom', message: `${what} is not valid base64 (standard alphabet, padded)` });
    else if (decodedBase64Length(s) > maxBytes) {
      ctx.addIssue({
        code: 'custom',
        params: tooLargeParams,
        message: `${what} is ${megabytes(decodedBase64Length(s))} decoded; the limit is ${megabytes(maxBytes)}`,
      });
    }
  });
}

/** A text field: non-empty, at most `limits.maxTextChars`. */
export const textSchema = z.string().min(1, 'must not be empty').max(limits.maxTextChars);

/** Any JSON value, at most `limits.maxJsonDepth` deep. */
export const jsonValueSchema = z.json().superRefine((v, ctx) => {
  if (jsonDepth(v, limits.maxJsonDepth) > limits.maxJsonDepth) {
    ctx.addIssue({ code: 'custom', message: `nested deeper than ${limits.maxJsonDepth} levels` });
  }
});

/** A JSON object, at most `limits.maxJsonDepth` deep. */
export const jsonObjectSchema = z.record(z.string(), z.json()).superRefine((v, ctx) => {
  if (jsonDepth(v, limits.maxJsonDepth) > limits.maxJsonDepth) {
    ctx.addIssue({ code: 'custom', message: `nested deeper than ${limits.maxJsonDepth} levels` });
  }
});

/** Tool name: `^[a-zA-Z0-9_-]{1,64}$` (Bedrock's rule). */
export const toolNameSchema = z
  .string()
  .min(1)
  .max(limits.maxToolNameChars)
  .regex(toolNamePattern, 'may contain only letters, digits, "_" and "-"');

const toolUseIdSchema = z.string().min(1).max(limits.maxToolUseIdChars);

/** `{format, data}`: an image as base64 bytes. */
export const imageSchema = z.strictObject({
  /** Image encoding. */
  format: z.enum(['png', 'jpeg', 'gif', 'webp']),
  /** The image bytes, base64 (standard alphabet, padded); at most `limits.maxImageBytes` decoded. */
  data: base64BytesSchema(limits.maxImageBytes, 'image'),
});

const documentNamePattern = /^(?!.*\s\s)[A-Za-z0-9\-()[\] ]+$/;

/** `{format, name, data | text}`: a document, either base64 bytes or plain text. */
export const documentSchema = z
  .strictObject({
    /** Document type. */
    format: z.enum(['pdf', 'csv', 'doc', 'docx', 'xls', 'xlsx', 'html', 'txt', 'md']),
    /** Name shown to the model: letters, digits, single spaces, `-`, `(`, `)`, `[`, `]` (Bedrock's rule). */
    name: z
      .string()
      .min(1)
      .max(limits.maxDocumentNameChars)
      .regex(documentNamePattern, 'may contain only letters, digits, single spaces, "-", "(", ")", "[" and "]"'),
    /** The document bytes, base64; at most `limits.maxDocumentBytes` decoded. Exactly one of `data` / `text`. */
    data: base64BytesSchema(limits.maxDocumentBytes, 'document').optional(),
    /** The document as text; at most `limits.maxDocumentBytes` characters. */
    text: z
      .string()
      .min(1)
      .superRefine((s, ctx) => {
        if (s.length > limits.maxDocumentBytes) {
          ctx.addIssue({ code: 'custom', params: tooLargeParams, message: 'document is larger than 4.5 MB' });
        }
      })
      .optional(),
  })
  .superRefine((d, ctx) => {
    if ((d.data === undefined) === (d.text === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['data'], message: 'a document needs exactly one of "data" (base64) or "text"' });
    }
  });

/** `{toolUseId, name, input}`: a tool call the assistant made. */
export const toolUseSchema = z.strictObject({
  /** Id that the matching toolResult repeats. */
  toolUseId: toolUseIdSchema,
  /** The tool's name. */
  name: toolNameSchema,
  /** The arguments: a JSON object. */
  input: jsonObjectSchema,
});

/** One item of a tool result's content. */
export const toolResultContentSchema = z.union([
  z.strictObject({ text: z.string().max(limits.maxTextChars) }),
  z.strictObject({ json: jsonValueSchema }),
  z.strictObject({ image: imageSchema }),
]);

/** `{toolUseId, content, status?}`: the result of a tool call, sent in a user message. */
export const toolResultSchema = z.strictObject({
  /** The `toolUseId` of the call this answers. */
  toolUseId: toolUseIdSchema,
  /** What the tool returned: text, JSON and images. */
  content: z.array(toolResultContentSchema).max(limits.maxBlocksPerMessage),
  /** Whether the tool succeeded. @defaultValue 'success' (Bedrock's default) */
  status: z.enum(['success', 'error']).optional(),
});

/**
 * Model reasoning from an earlier assistant message: `{text, signature?}` (Anthropic signs its
 * thinking; the signature must be replayed verbatim) or `{redacted}` (encrypted reasoning, base64).
 */
export const reasoningSchema = z.union([
  z.strictObject({
    text: z.string().max(limits.maxTextChars),
    signature: z.string().min(1).max(limits.maxTextChars).optional(),
  }),
  z.strictObject({ redacted: base64BytesSchema(limits.maxTextChars, 'redacted reasoning') }),
]);

/** A message content block: an object with exactly one of these keys. */
export const contentBlockSchema = z.union([
  z.strictObject({ text: textSchema }),
  z.strictObject({ image: imageSchema }),
  z.strictObject({ document: documentSchema }),
  z.strictObject({ toolUse: toolUseSchema }),
  z.strictObject({ toolResult: toolResultSchema }),
  z.strictObject({ reasoning: reasoningSchema }),
]);

/** The keys a content block may have (exactly one). */
export const contentBlockKinds = ['text', 'image', 'document', 'toolUse', 'toolResult', 'reasoning'] as const;

/** A content block of a message. */
export type ContentBlock = z.output<typeof contentBlockSchema>;
/** `{image: {format, data}}`. */
export type ImageBlock = z.output<typeof imageSchema>;
/** `{document: {...}}`. */
export type DocumentBlock = z.output<typeof documentSchema>;
/** `{toolUse: {...}}`. */
export type ToolUseBlock = z.output<typeof toolUseSchema>;
/** `{toolResult: {...}}`. */
export type ToolResultBlock = z.output<typeof toolResultSchema>;
/** One item of a tool result's content. */
export type ToolResultContent = z.output<typeof toolResultContentSchema>;
/** `{reasoning: {...}}`. */
export type ReasoningBlock = z.output<typeof reasoningSchema>;
