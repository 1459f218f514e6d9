import { z } from 'zod';

const price = z.number().min(0).max(1_000_000).describe('USD per million tokens, a number >= 0');

/**
 * Prices in USD per million tokens: configured (`models.providers["amazon-bedrock"].models[].cost`),
 * carried on the catalog entry and in the job data; Bedrock does not report them.
 */
export const modelPricesSchema = z.strictObject({
  input: price,
  output: price,
  cacheRead: price.optional(),
  cacheWrite: price.optional(),
});

/** Prices in USD per million tokens (`modelPricesSchema`). */
export type ModelPrices = z.output<typeof modelPricesSchema>;
