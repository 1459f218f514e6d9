import { resolveSetting, sharedSettings } from '@turnpool/config';
import { createAdmission } from '@turnpool/quota';
import type { ResolvedModel, TurnRequest } from '@turnpool/protocol';
import { checkRedisServer, createRedis } from '@turnpool/redis-connect';
import { createCatalogModelResolver, createTurnClient, type CatalogLike } from '@turnpool/turn-store/client';
import { buildDispatcher, type ModelCatalog } from './build-dispatcher.ts';

export interface StartDispatcherOptions {
  redisUrl: string;
  /** The shared model catalog (libs/discovery `createCatalog`). */
  catalog: ModelCatalog & CatalogLike;
  /** Region turns run in (the catalog's). */
  region: string;
  /** `agents.defaults.model.primary`. */
  defaultModel?: string;
  // The shared options below take their rules and defaults from libs/config `sharedSettings`.
  /** @defaultValue sharedSettings.keyPrefix */
  keyPrefix?: string;
  /** @defaultValue sharedSettings.queueName */
  queueName?: string;
  /** @defaultValue sharedSettings.attempts */
  attempts?: number;
  /** @defaultValue sharedSettings.backoffMs */
  backoffMs?: number;
  /** @defaultValue sharedSettings.retentionSeconds */
  retentionSeconds?: number;
  /** `agents.defaults.model.fallbacks`. @defaultValue [] */
  fallbacks?: readonly string[];
  /** `bedrock.admission.maxWaitMs`, stamped on turns that set none. @defaultValue the worker's */
  maxWaitMs?: number;
  /** @defaultValue [] */
  apiKeys?: readonly string[];
  /** Keys that may read (GET) but not submit or cancel (config `dispatcher.readOnlyApiKeys`). @defaultValue [] */
  readOnlyApiKeys?: readonly string[];
  /** Turns the recent-turns index keeps at most (config `dispatcher.turnIndexMax`). @defaultValue sharedSettings.turnIndexMax */
  turnIndexMax?: number;
  /** Counts input tokens as the model does, for the Anthropic face's count_tokens (libs/bedrock `createTokenCounter`). @defaultValue none (an estimate) */
  countTokens?: (request: TurnRequest, model: ResolvedModel) => Promise<number>;
  /** Model names clients send → model refs (config `dispatcher.modelAliases`). @defaultValue {} */
  modelAliases?: Readonly<Record<string, string>>;
  /** @defaultValue sharedSettings.bodyLimitBytes */
  bodyLimitBytes?: number;
  /** @defaultValue sharedSettings.dispatcherHost ('127.0.0.1': a fresh install exposes nothing) */
  host?: string;
  /** 0 = a free port. @defaultValue sharedSettings.dispatcherPort (8787) */
  port?: number;
  /** A pino logger instance. @defaultValue none */
  logger?: false | object;
  /** The console's build served at `/console` (see buildDispatcher); false = not served. @defaultValue apps/console/dist */
  consoleDir?: string | false;
}

export interface RunningDispatcher {
  /** `http://host:port` */
  url: string;
  /**
   * Stops accepting requests, ends open SSE streams, closes the queue and Redis. With Redis
   * unreachable it drops the connections and rejects saying so. Safe to call twice.
   */
  close(): Promise<void>;
}

/**
 * Starts the dispatcher: one Redis connection that fails fast while Redis is down (so the API
 * answers 503 promptly instead of hanging), the turn client, and the HTTP server.
 */
export async function startDispatcher(opts: StartDispatcherOptions): Promise<RunningDispatcher> {
  const host = resolveSetting('dispatcherHost', opts.host, 'dispatcher option host');
  const requestedPort = resolveSetting('dispatcherPort', opts.port, 'dispatcher option port');
  const redis = createRedis(opts.redisUrl, {
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    connectTimeout: 2000,
    lazyConnect: true,
    retryStrategy: (times) => Math.min(times * 100, 1000),
  });
  // Readiness and the 503 answers report errors; a stop with Redis unreachable names the last one.
  let lastRedisError: string | undefined;
  redis.on('error', (err: Error) => {
    lastRedisError = err.message;
  });
  await redis.connect();
  try {
    // Refuses an evicting Redis and a prefix that splits a turn over Cluster slots (RedisGuardError).
    await checkRedisServer(redis, { keyPrefix: opts.keyPrefix ?? sharedSettings.keyPrefix.default });
  } catch (err) {
    redis.disconnect();
    throw err;
  }
  const resolveModel = createCatalogModelResolver({
    catalog: opts.catalog,
    defaultModel: opts.defaultModel,
    region: opts.region,
    aliases: opts.modelAliases,
  });
  const client = createTurnClient({
    redis,
    keyPrefix: opts.keyPrefix,
    queueName: opts.queueName,
    attempts: opts.attempts,
    backoffMs: opts.backoffMs,
    retentionSeconds: opts.retentionSeconds,
    ...(opts.turnIndexMax === undefined ? {} : { turnIndexMax: opts.turnIndexMax }),
    ...(opts.fallbacks ? { fallbacks: opts.fallbacks } : {}),
    ...(opts.maxWaitMs === undefined ? {} : { maxWaitMs: opts.maxWaitMs }),
    resolveModel,
  });
  const app = buildDispatcher({
    client,
    catalog: opts.catalog,
    redis,
    quotas: createAdmission({ redis, keyPrefix: opts.keyPrefix }),
    apiKeys: opts.apiKeys,
    ...(opts.readOnlyApiKeys ? { readOnlyApiKeys: opts.readOnlyApiKeys } : {}),
    bodyLimitBytes: opts.bodyLimitBytes,
    logger: opts.logger,
    ...(opts.consoleDir === undefined ? {} : { consoleDir: opts.consoleDir }),
    modelAliases: opts.modelAliases,
    resolveModel,
    ...(opts.countTokens ? { countTokens: opts.countTokens } : {}),
  });
  try {
    await app.listen({ host, port: requestedPort });
  } catch (err) {
    // A taken port (EADDRINUSE) must not leave Redis connections keeping the process alive.
    await Promise.allSettled([app.close(), client.close()]);
    redis.disconnect();
    throw err;
  }
  const addr = app.server.address();
  const port = typeof addr === 'object' && addr !== null ? addr.port : requestedPort;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    close() {
      closing ??= (async () => {
        // Asked, not assumed: right after Redis goes away the connection may still read 'ready'.
        const reachable =
          redis.status === 'ready' &&
          (await Promise.race([
            redis.ping().then(
              () => true,
              () => false,
            ),
            new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 500).unref()),
          ]));
        app.server.closeAllConnections?.();
        await Promise.allSettled([app.close()]);
        await Promise.allSettled([client.close()]);
        await redis.quit().catch(() => redis.disconnect());
        if (!reachable)
          throw new Error(`Redis was unreachable at the stop (${lastRedisError ?? 'connection lost'}): its connections were dropped`);
      })();
      return closing;
    },
  };
}
