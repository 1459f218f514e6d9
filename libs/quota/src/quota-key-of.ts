/** The quota key of a call: Bedrock budgets per region and per model or inference profile id. */
export function quotaKeyOf(region: string, modelId: string): string {
  return `${region}/${modelId}`;
}
