import { guardrailConfigSchema, modelInputs, modelPricesSchema } from '@turnpool/protocol';
import { z } from 'zod';
import { httpUrlSchema, intSchema } from './schema-helpers.ts';

/** The values OpenClaw and turnpool give `refreshInterval`, `defaultContextWindow`, `defaultMaxTokens`. */
export const discoveryDefaults = { refreshInterval: 3600, defaultContextWindow: 32000, defaultMaxTokens: 4096 } as const;

/**
 * `models.bedrockDiscovery` and its alias `plugins.entries["amazon-bedrock"].config.discovery`,
 * as written (no defaults yet: the two spellings are merged first, then defaulted).
 */
export const discoveryInputSchema = z.strictObject({
  enabled: z.boolean().describe('true or false (unset = on when AWS credentials are present)').optional(),
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d+$/)
    .describe('an AWS region such as us-east-1')
    .optional(),
  providerFilter: z
    .array(z.string().min(1).max(64).describe('a Bedrock provider name such as "anthropic"'))
    .max(100)
    .describe('a list of Bedrock provider names, e.g. ["anthropic", "amazon"]')
    .optional(),
  refreshInterval: intSchema(0, 31_536_000, 'seconds (0 disables the cache)').optional(),
  defaultContextWindow: intSchema(1, 10_000_000, 'tokens').optional(),
  defaultMaxTokens: intSchema(1, 1_000_000, 'tokens').optional(),
});

/**
 * `plugins.entries["amazon-bedrock"].config`, OpenClaw's plugin config: the discovery alias and
 * `guardrail`, the Bedrock guardrail applied to every turn whose request sets no
 * `guardrailConfig` (OpenClaw's key and shape: guardrailIdentifier, guardrailVersion, trace?,
 * streamProcessingMode?). Other keys OpenClaw defines there are not read and are stripped.
 */
export const pluginConfigSchema = z.object({
  discovery: discoveryInputSchema.optional(),
  guardrail: guardrailConfigSchema.optional(),
});

/** Fills the OpenClaw defaults into a (merged) discovery section. */
export const discoverySchema = discoveryInputSchema.extend({
  refreshInterval: discoveryInputSchema.shape.refreshInterval.unwrap().default(discoveryDefaults.refreshInterval),
  defaultContextWindow: discoveryInputSchema.shape.defaultContextWindow.unwrap().default(discoveryDefaults.defaultContextWindow),
  defaultMaxTokens: discoveryInputSchema.shape.defaultMaxTokens.unwrap().default(discoveryDefaults.defaultMaxTokens),
});

/** One model entry of the amazon-bedrock provider. */
export const manualModelSchema = z.strictObject({
  id: z
    .string()
    .regex(/^\S{1,2048}$/)
    .describe('a Bedrock model id or inference profile id (no spaces)'),
  name: z.string().min(1).max(256).optional(),
  reasoning: z.boolean().optional(),
  input: z.array(z.enum(modelInputs)).min(1).max(modelInputs.length).optional(),
  cost: modelPricesSchema.optional(),
  contextWindow: intSchema(1, 10_000_000, 'tokens').optional(),
  maxTokens: intSchema(1, 1_000_000, 'tokens').optional(),
});

export const apiKeyRefusal =
  'Amazon Bedrock takes no apiKey: it authenticates through the AWS credential chain ' +
  '(AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_PROFILE, instance or container roles) or a Bedrock API key ' +
  'in the AWS_BEARER_TOKEN_BEDROCK environment variable; remove apiKey from the file';

/** `models.providers["amazon-bedrock"]`, as the OpenClaw Bedrock page writes it. */
export const providerSchema = z.strictObject({
  baseUrl: httpUrlSchema().optional(),
  api: z.literal('bedrock-converse-stream').default('bedrock-converse-stream'),
  auth: z.literal('aws-sdk').default('aws-sdk'),
  apiKey: z.never({ error: apiKeyRefusal }).optional(),
  models: z
    .array(manualModelSchema)
    .max(1000)
    .default([])
    .superRefine((models, ctx) => {
      const seen = new Set<string>();
      models.forEach((m, i) => {
        if (seen.has(m.id))
          ctx.addIssue({
            code: 'custom',
            path: [i, 'id'],
            input: m.id,
            message: `duplicate model id "${m.id}"`,
            params: { allowed: 'each id once' },
          });
        seen.add(m.id);
      });
    }),
});

/** `amazon-bedrock/<model or inference profile id>`. */
export const modelRefSchema = z
  .string()
  .regex(/^amazon-bedrock\/\S{1,2048}$/)
  .describe('"amazon-bedrock/<model or inference profile id>"');
