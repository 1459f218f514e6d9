import { createTokenCounter } from '@turnpool/bedrock';
import type { StartDispatcherOptions } from '@turnpool/dispatcher';
import type { StackContext } from './open-stack.ts';
import type { StackArgs } from './parse-stack-args.ts';

/** Dispatcher options from the config sections and the command's flags. */
export function dispatcherOptionsFromStack(stack: StackContext, flags: StackArgs, logger: object): StartDispatcherOptions {
  const { config } = stack;
  return {
    redisUrl: stack.redisUrl,
    catalog: stack.catalog,
    region: stack.bedrock.region.region,
    defaultModel: stack.defaultModel,
    keyPrefix: config.redis.keyPrefix,
    queueName: config.queue.name,
    attempts: config.queue.attempts,
    backoffMs: config.queue.backoffMs,
    retentionSeconds: config.streams.ttlSeconds,
    apiKeys: config.dispatcher.apiKeys,
    readOnlyApiKeys: config.dispatcher.readOnlyApiKeys,
    turnIndexMax: config.dispatcher.turnIndexMax,
    modelAliases: config.dispatcher.modelAliases,
    countTokens: createTokenCounter(stack.bedrock.clients.runtime),
    bodyLimitBytes: config.dispatcher.bodyLimitBytes,
    fallbacks: config.agents.defaults.model.fallbacks,
    maxWaitMs: config.bedrock.admission.maxWaitMs,
    host: flags.host ?? config.dispatcher.host,
    port: flags.port ?? config.dispatcher.port,
    logger,
  };
}
