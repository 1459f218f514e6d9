import { z } from 'zod';
import { intSchema } from './schema-helpers.ts';
import { sharedSettings } from './shared-settings.ts';

/** One budget of `bedrock.quotas`, as Bedrock's Service Quotas state it for a model in a region. */
export const quotaBudgetSchema = z.strictObject({
  rpm: intSchema(1, 100_000_000, 'requests per minute').optional(),
  tpm: intSchema(1, 10_000_000_000, 'tokens per minute').optional(),
  tokensPerDay: intSchema(1, 100_000_000_000_000, 'tokens per day').optional(),
  outputBurndown: z
    .number()
    .min(1)
    .max(100)
    .describe('how many quota tokens one output token counts for, a number from 1 to 100')
    .optional(),
});

/**
 * `bedrock.quotas`: budgets keyed by model id, inference profile id or model ref
 * (`amazon-bedrock/<id>`); each applies per region, as Bedrock counts.
 */
export const quotasSchema = z
  .record(z.string(), quotaBudgetSchema)
  .superRefine((quotas, ctx) => {
    for (const key of Object.keys(quotas)) {
      if (!/^(amazon-bedrock\/)?[A-Za-z0-9][A-Za-z0-9._:/-]{0,2047}$/.test(key)) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          input: key,
          message: `"${key.slice(0, 80)}" is not a model id`,
          params: { allowed: 'a model id, inference profile id or "amazon-bedrock/<id>"' },
        });
      }
    }
  })
  .default({});

/** `bedrock.admission`: fleet-wide admission control (rules and defaults in `sharedSettings`). */
export const admissionSchema = z
  .strictObject({
    enabled: sharedSettings.admissionEnabled.schema.default(sharedSettings.admissionEnabled.default),
    maxWaitMs: sharedSettings.maxWaitMs.schema.default(sharedSettings.maxWaitMs.default),
    leaseTtlMs: sharedSettings.leaseTtlMs.schema.default(sharedSettings.leaseTtlMs.default),
  })
  .prefault({});
