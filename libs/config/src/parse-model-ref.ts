/** The one provider turnpool runs. */
export const bedrockProviderId = 'amazon-bedrock';

/**
 * Splits `amazon-bedrock/<id>` into its model (or inference profile) id; undefined for any
 * other provider or a malformed ref.
 */
export function parseModelRef(ref: string): { provider: 'amazon-bedrock'; modelId: string } | undefined {
  const prefix = `${bedrockProviderId}/`;
  if (!ref.startsWith(prefix)) return undefined;
  const modelId = ref.slice(prefix.length);
  return /^\S{1,2048}$/.test(modelId) ? { provider: bedrockProviderId, modelId } : undefined;
}
