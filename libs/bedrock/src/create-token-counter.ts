import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { ResolvedModel, TurnRequest } from '@turnpool/protocol';
import { buildConverseRequest } from './build-converse-request.ts';
import { classifyBedrockError } from './classify-bedrock-error.ts';

/** Counts a turn's input tokens the way the model will. */
export type TokenCounter = (request: TurnRequest, model: ResolvedModel) => Promise<number>;

/**
 * A `TokenCounter` calling Bedrock's CountTokens with the same Converse input a worker would send
 * (messages, system, tools). Bedrock refusals become `TurnError`s (`classifyBedrockError`).
 * The SDK's command module loads on the first count, not with this package: the worker host
 * imports `@turnpool/bedrock` for `planOutputTokens` and must not pay for the AWS SDK at start.
 */
export function createTokenCounter(runtime: Pick<BedrockRuntimeClient, 'send'>, opts: { timeoutMs?: number } = {}): TokenCounter {
  return async (request, model) => {
    const input = buildConverseRequest(request, model);
    // `.default`: the CommonJS module.exports, in Node and in the CLI's bundle alike (see fetchBedrockCatalog).
    const { CountTokensCommand } = (await import('@aws-sdk/client-bedrock-runtime')).default;
    try {
      const out = await runtime.send(
        new CountTokensCommand({
          modelId: model.modelId,
          input: {
            converse: {
              messages: input.messages ?? [],
              ...(input.system ? { system: input.system } : {}),
              ...(input.toolConfig ? { toolConfig: input.toolConfig } : {}),
            },
          },
        }),
        { abortSignal: AbortSignal.timeout(opts.timeoutMs ?? 10_000) },
      );
      return out.inputTokens ?? 0;
    } catch (err) {
      throw classifyBedrockError(err, { modelId: model.modelId });
    }
  };
}
