import { z } from 'zod';

/** Bedrock's guardrail identifier: an id (`abc123`) or a guardrail ARN (GuardrailStreamConfiguration pattern). */
export const guardrailIdentifierPattern = /^(?:[a-z0-9]+|arn:aws(?:-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:guardrail\/[a-z0-9]+)$/;
/** Bedrock's guardrail version: a published version number or `DRAFT`. */
export const guardrailVersionPattern = /^(?:[1-9][0-9]{0,7}|DRAFT)$/;

/**
 * `{guardrailIdentifier, guardrailVersion, trace?, streamProcessingMode?}`: a Bedrock guardrail
 * applied to the turn (ConverseStream `guardrailConfig`). The same shape is a turn request's
 * `guardrailConfig` and the config default `plugins.entries["amazon-bedrock"].config.guardrail`
 * (OpenClaw's key). Strict: unknown keys are refused.
 */
export const guardrailConfigSchema = z.strictObject({
  /** Guardrail id (`abc123`) or ARN (`arn:aws:bedrock:us-east-1:123456789012:guardrail/abc123`). */
  guardrailIdentifier: z
    .string()
    .max(2048)
    .regex(guardrailIdentifierPattern, 'must be a guardrail id (lower-case letters and digits) or a guardrail ARN')
    .describe('a guardrail id such as "abc123" or a guardrail ARN'),
  /** Published version number (`"1"`) or `"DRAFT"`. */
  guardrailVersion: z
    .string()
    .regex(guardrailVersionPattern, 'must be a version number such as "1" or "DRAFT"')
    .describe('a version number such as "1", or "DRAFT"'),
  /** Guardrail trace in the stream's metadata (then in `turn-end.guardrailTrace`). @defaultValue Bedrock's: "disabled" */
  trace: z.enum(['enabled', 'disabled', 'enabled_full']).optional(),
  /** `sync` checks each chunk before it is sent; `async` sends first and checks in the background. @defaultValue Bedrock's: "sync" */
  streamProcessingMode: z.enum(['sync', 'async']).optional(),
});

/** A Bedrock guardrail for a turn: the request's `guardrailConfig` or the configured default. */
export type GuardrailConfig = z.output<typeof guardrailConfigSchema>;
