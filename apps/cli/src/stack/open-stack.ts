import type { Cluster, Redis } from 'ioredis';
import type { EmulatorHandle } from '@turnpool/bedrock-emulator';
import { detectCredentials } from '@turnpool/credentials';
import { createCatalog } from '@turnpool/discovery';
import type { Catalog } from '@turnpool/protocol';
import { loadConfig, type TurnpoolConfig } from '@turnpool/config';
import { checkRedisServer, createRedis, RedisGuardError, RedisUrlError } from '@turnpool/redis-connect';
import type { CliIo } from '../cli-io.ts';
import { describeListenFailure } from '../describe-listen-failure.ts';
import { loadBedrockContext, type BedrockContext } from '../bedrock-context.ts';

/**
 * Whether to run against the in-process Bedrock emulator: `always` (`--emulator`); `auto` when
 * no AWS credentials and no Bedrock endpoint are found (said in one line; only `turnpool
 * start`, the local demo, defaults to it); `never` (the default of `worker` and `dispatcher`:
 * without credentials and endpoint they refuse to start rather than answer users with
 * generated words).
 */
export type EmulatorMode = 'auto' | 'always' | 'never';

export interface StackContext {
  config: TurnpoolConfig;
  bedrock: BedrockContext;
  redisUrl: string;
  redis: Redis | Cluster;
  catalog: Catalog;
  /** Set when the stack runs against the in-process emulator. */
  emulator?: EmulatorHandle;
  /** The Bedrock endpoint the stack calls: the in-process emulator's URL, else the config's `baseUrl` (undefined = AWS). */
  bedrockEndpoint: string | undefined;
  /**
   * Where Bedrock credentials and the region are read: the process env, or in emulator mode a copy
   * of it with the emulator's token (the process env itself is never written).
   */
  bedrockEnv: NodeJS.ProcessEnv;
  /** The model turns use when they name none. */
  defaultModel: string | undefined;
  close(): Promise<void>;
}

/** A stack input the user must fix; the message is one line that says how. */
export class StackError extends Error {
  override readonly name = 'StackError';
}

/** The bearer token the emulator accepts; not a secret (it only opens the local emulator). */
export const emulatorToken = 'turnpool-local-emulator';
/** A model the emulator's catalog serves, used when the config names no default in emulator mode. */
export const emulatorDefaultModel = 'amazon-bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0';

async function connectRedis(url: string): Promise<Redis | Cluster> {
  let redis: Redis | Cluster;
  try {
    redis = createRedis(url, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 2000, retryStrategy: () => null });
  } catch (err) {
    if (err instanceof RedisUrlError) throw new StackError(`redis.url: ${err.message} (docs/configuration.md, "Redis").`);
    throw err;
  }
  // The first error (e.g. WRONGPASS from AUTH) says more than the "Connection is closed." that follows it.
  let firstError: Error | undefined;
  redis.on('error', (err: Error) => {
    firstError ??= err;
  });
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    const safe = url.replace(/\/\/[^@/]*@/, '//***@');
    const reason = (firstError ?? (err as Error)).message;
    if (/WRONGPASS|NOAUTH|NOPERM/.test(reason)) {
      throw new StackError(
        `Redis at ${safe} refused the credentials (${reason.split('\n')[0]}): check the user and password in the Redis URL (redis://user:password@host:port).`,
      );
    }
    throw new StackError(
      `Redis is not reachable at ${safe} (${reason}): run \`npm start\` (it finds or starts Redis), or set REDIS_URL / --redis-url.`,
    );
  }
  redis.disconnect();
  const live = createRedis(url, { maxRetriesPerRequest: 1, commandTimeout: 5000 });
  live.on('error', () => {});
  return live;
}

/** What `detectCredentials` looks for, in its order (docs/models.md). */
const sourcesLookedFor =
  'AWS_BEARER_TOKEN_BEDROCK, AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, AWS_PROFILE, ' +
  'a [default] profile in ~/.aws, web identity, container credentials, an EC2 instance role';

/**
 * Everything `turnpool start`, `dispatcher` and `worker` share: config, Redis, credentials (or
 * the emulator, see EmulatorMode), region, clients and the shared catalog. In emulator mode the
 * stack carries the emulator's URL (`bedrockEndpoint`) and an env copy with its token
 * (`bedrockEnv`); the worker host takes both as options, so nothing is written to `process.env`.
 */
export async function openStack(
  io: CliIo,
  opts: { configPath?: string; redisUrl?: string; emulator: EmulatorMode },
): Promise<StackContext> {
  let emulator: EmulatorHandle | undefined;
  const { config: fileConfig } = await loadConfig({
    env: io.env,
    cwd: io.cwd,
    ...(opts.configPath === undefined ? {} : { configPath: opts.configPath }),
  });
  // An endpoint (TURNPOOL_BEDROCK_ENDPOINT or the config's baseUrl: a shared emulator, a proxy) was meant.
  const endpoint = fileConfig.models.providers['amazon-bedrock']?.baseUrl;
  let useEmulator = opts.emulator === 'always';
  if (!useEmulator) {
    const creds = await detectCredentials({ env: io.env });
    if (!creds.present && endpoint === undefined) {
      if (opts.emulator === 'never') {
        const notes = creds.notes.length === 0 ? '' : `; ${creds.notes.join('; ')}`;
        throw new StackError(
          `no AWS credentials found (looked for ${sourcesLookedFor}${notes}) and no Bedrock endpoint set: ` +
            'set credentials (see docs/models.md), set TURNPOOL_BEDROCK_ENDPOINT, or pass --emulator to run against the bundled emulator.',
        );
      }
      useEmulator = true;
    }
  }
  if (useEmulator) {
    const wanted = fileConfig.emulator.port;
    emulator = await startStackEmulator(wanted);
    const moved = wanted === 0 || emulator.port === wanted ? '' : `, as port ${wanted} (config emulator.port) is in use`;
    io.out(
      opts.emulator === 'always'
        ? `Using the Bedrock emulator at ${emulator.url}${moved}.\n`
        : `No AWS credentials found: using the Bedrock emulator at ${emulator.url}${moved} (set AWS credentials to use Amazon Bedrock; see docs/models.md).\n`,
    );
  }
  const bedrockEnv: NodeJS.ProcessEnv = emulator
    ? { ...io.env, AWS_BEARER_TOKEN_BEDROCK: emulatorToken, AWS_REGION: io.env['AWS_REGION'] ?? 'us-east-1' }
    : io.env;
  const bedrockEndpoint = emulator?.url ?? endpoint;
  try {
    const bedrock = await loadBedrockContext({ ...io, env: bedrockEnv }, opts.configPath, 2, bedrockEndpoint);
    const { config } = bedrock.loaded;
    const redisUrl = opts.redisUrl ?? config.redis.url ?? io.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
    const redis = await connectRedis(redisUrl);
    try {
      await checkRedisServer(redis, { keyPrefix: config.redis.keyPrefix });
    } catch (err) {
      redis.disconnect();
      throw err instanceof RedisGuardError ? new StackError(err.message) : err;
    }
    const manual = config.models.providers['amazon-bedrock']?.models ?? [];
    const catalog = createCatalog({
      redis,
      // Built on the first refresh: the worker host's main thread never refreshes, so never loads the AWS SDK.
      control: async () => (await bedrock.clients()).control,
      keyPrefix: config.redis.keyPrefix,
      region: bedrock.region.region,
      credentialsIdentity: bedrock.credentials.identityHash,
      credentialsPresent: bedrock.credentials.present,
      discovery: config.models.bedrockDiscovery,
      provider: { models: manual },
      unavailableTtlSeconds: config.catalog.unavailableTtlSeconds,
    });
    const defaultModel = config.agents.defaults.model.primary ?? (emulator ? emulatorDefaultModel : undefined);
    let closing: Promise<void> | undefined;
    return {
      config,
      bedrock,
      redisUrl,
      redis,
      catalog,
      emulator,
      bedrockEndpoint,
      bedrockEnv,
      defaultModel,
      close() {
        closing ??= (async () => {
          // A failed catalog refresh was already reported when it ran; closing must go on.
          await catalog.idle().catch(() => {});
          bedrock.close();
          await redis.quit().catch(() => redis.disconnect());
          await emulator?.close();
        })();
        return closing;
      },
    };
  } catch (err) {
    await emulator?.close();
    throw err;
  }
}

/**
 * The in-process emulator serves only this process's own clients (they get its URL), so a
 * taken port is no reason to fail: it then listens on a free one, and the caller says so. Any
 * other listen error (a privileged port) is the user's to fix.
 */
async function startStackEmulator(port: number): Promise<EmulatorHandle> {
  // Loaded only in emulator mode: a fleet command against Bedrock never loads the emulator.
  const { startEmulator } = await import('@turnpool/bedrock-emulator');
  try {
    return await startEmulator({ port });
  } catch (err) {
    if ((err as { code?: unknown }).code === 'EADDRINUSE') return startEmulator({ port: 0 });
    const line = describeListenFailure(err, 'the Bedrock emulator', 'set emulator.port in the config (0 = any free port)');
    throw line === undefined ? err : new StackError(line);
  }
}
