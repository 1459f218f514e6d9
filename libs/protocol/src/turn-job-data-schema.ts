import { z } from 'zod';
import { limits, turnIdPattern } from './limits.ts';
import { turnRequestSchema } from './turn-request-schema.ts';

const price = z.number().min(0);

/** Strict schema of `ResolvedModel` (the model a job carries). */
export const resolvedModelSchema = z.strictObject({
  ref: z.string().min(1).max(limits.maxModelRefChars),
  modelId: z.string().min(1).max(limits.maxModelRefChars),
  baseModelId: z.string().min(1).max(limits.maxModelRefChars),
  provider: z.string().max(64),
  region: z.string().min(1).max(64),
  contextWindow: z.int().positive(),
  maxTokens: z.int().positive(),
  reasoning: z.boolean(),
  input: z.array(z.enum(['text', 'image', 'document', 'video'])),
  supportsPromptCache: z.boolean(),
  cost: z.strictObject({ input: price, output: price, cacheRead: price.optional(), cacheWrite: price.optional() }).optional(),
});

/** Strict schema of `TurnJobData` (the BullMQ payload), for a worker that checks what it dequeues. */
export const turnJobDataSchema = z.strictObject({
  turnId: z.string().min(1).max(limits.maxTurnIdChars).regex(turnIdPattern),
  request: turnRequestSchema,
  model: resolvedModelSchema,
  submittedAt: z.number(),
  fingerprint: z.string().max(128).optional(),
  fallbacks: z.array(resolvedModelSchema).max(limits.maxFallbacks).optional(),
  maxWaitMs: z.int().min(0).max(limits.maxWaitMs).optional(),
  admission: z.strictObject({ modelIndex: z.int().min(0).max(limits.maxFallbacks), waitingSince: z.number().optional(), announced: z.boolean().optional() }).optional(),
});
