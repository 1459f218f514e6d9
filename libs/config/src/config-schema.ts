import { z } from 'zod';
import { admissionSchema, quotasSchema } from './quota-schemas.ts';
import { redisUrlSchema } from './schema-helpers.ts';
import { defaultMaxThreads, defaultMaxTurns, sharedSettings } from './shared-settings.ts';
import { discoveryInputSchema, discoverySchema, modelRefSchema, pluginConfigSchema, providerSchema } from './bedrock-schemas.ts';
import type { TurnpoolConfig } from './turnpool-config.ts';

// OpenClaw's sections (models, agents, plugins) strip keys turnpool does not read, so one
// file can serve OpenClaw and turnpool; the Bedrock parts inside them and turnpool's own
// sections are strict, so a typo is an error instead of a silently ignored key.

/** A shared setting's rule with its default (both from `sharedSettings`). */
function withDefault<S extends z.ZodType>(setting: { schema: S; default: z.output<S> }) {
  return setting.schema.default(setting.default as z.util.NoUndefined<z.output<S>>);
}

const modelsSchema = z
  .object({
    bedrockDiscovery: discoveryInputSchema.optional(),
    providers: z.object({ 'amazon-bedrock': providerSchema.optional() }).prefault({}),
  })
  .prefault({});

const agentsSchema = z
  .object({
    defaults: z
      .object({
        model: z
          .object({
            primary: modelRefSchema.optional(),
            // OpenClaw's own key: one file may list other providers' models too; turnpool takes its own, in order.
            fallbacks: z
              .array(z.string().max(4096))
              .max(64)
              .describe('a list of model refs ("amazon-bedrock/<id>"), tried in order')
              .default([])
              .transform((refs) => refs.filter((r) => modelRefSchema.safeParse(r).success)),
          })
          .prefault({}),
      })
      .prefault({}),
  })
  .prefault({});

const pluginsSchema = z
  .object({
    entries: z
      .object({
        'amazon-bedrock': z.object({ config: pluginConfigSchema.optional() }).optional(),
      })
      .prefault({}),
  })
  .prefault({});

const redisSchema = z
  .strictObject({
    url: redisUrlSchema().optional(),
    keyPrefix: withDefault(sharedSettings.keyPrefix),
  })
  .prefault({});

const queueSchema = z
  .strictObject({
    name: withDefault(sharedSettings.queueName),
    attempts: withDefault(sharedSettings.attempts),
    backoffMs: withDefault(sharedSettings.backoffMs),
    lockDurationMs: withDefault(sharedSettings.lockDurationMs),
    stalledIntervalMs: withDefault(sharedSettings.stalledIntervalMs),
    maxStalledCount: withDefault(sharedSettings.maxStalledCount),
  })
  .prefault({});

const poolSchema = z
  .strictObject({
    minThreads: withDefault(sharedSettings.minThreads),
    maxThreads: sharedSettings.maxThreads.schema.optional(),
    concurrentTasksPerWorker: withDefault(sharedSettings.concurrentTasksPerWorker),
    maxTurnsPerHost: sharedSettings.maxTurns.schema.optional(),
    heartbeatMs: withDefault(sharedSettings.heartbeatMs),
    heartbeatTtlMs: withDefault(sharedSettings.heartbeatTtlMs),
  })
  .superRefine((pool, ctx) => {
    if (pool.heartbeatTtlMs <= pool.heartbeatMs) {
      ctx.addIssue({
        code: 'custom',
        path: ['heartbeatTtlMs'],
        input: pool.heartbeatTtlMs,
        message: `heartbeatTtlMs (${pool.heartbeatTtlMs}) is not above heartbeatMs (${pool.heartbeatMs})`,
        params: { allowed: 'heartbeatTtlMs > heartbeatMs' },
      });
    }
    if (pool.maxThreads !== undefined && pool.minThreads > pool.maxThreads) {
      ctx.addIssue({
        code: 'custom',
        path: ['minThreads'],
        input: pool.minThreads,
        message: `minThreads (${pool.minThreads}) is above maxThreads (${pool.maxThreads})`,
        params: { allowed: 'minThreads <= maxThreads' },
      });
    }
  })
  .transform((pool) => {
    const maxThreads = pool.maxThreads ?? defaultMaxThreads(pool.minThreads);
    return { ...pool, maxThreads, maxTurnsPerHost: pool.maxTurnsPerHost ?? defaultMaxTurns(maxThreads, pool.concurrentTasksPerWorker) };
  })
  .prefault({});

const apiKeySchema = z
  .string()
  .regex(/^[^\s,]{1,512}$/)
  .describe('1-512 characters, no spaces or commas');

/** A model name a client may send in place of a ref: what OpenAI / Anthropic clients hard-code. */
const modelAliasPattern = /^(?!amazon-bedrock\/)[\x21-\x7e]{1,256}$/;
const modelAliasRule = '1-256 printable ASCII characters without spaces, not starting with "amazon-bedrock/"';

const dispatcherSchema = z
  .strictObject({
    host: withDefault(sharedSettings.dispatcherHost),
    port: withDefault(sharedSettings.dispatcherPort),
    apiKeys: z.array(apiKeySchema).max(1000).describe('a list of bearer keys ([] = no auth)').default([]),
    readOnlyApiKeys: z
      .array(apiKeySchema)
      .max(1000)
      .describe('a list of bearer keys that may read (GET) but not submit or cancel turns')
      .default([]),
    turnIndexMax: withDefault(sharedSettings.turnIndexMax),
    bodyLimitBytes: withDefault(sharedSettings.bodyLimitBytes),
    modelAliases: z
      .record(z.string(), modelRefSchema)
      .superRefine((m, ctx) => {
        const names = Object.keys(m);
        if (names.length > 1000)
          ctx.addIssue({
            code: 'custom',
            input: names.length,
            message: 'at most 1000 aliases',
            params: { allowed: 'at most 1000 aliases' },
          });
        for (const name of names) {
          if (!modelAliasPattern.test(name)) {
            ctx.addIssue({
              code: 'custom',
              path: [name],
              input: name,
              message: `alias name ${JSON.stringify(name.slice(0, 80))} is not allowed`,
              params: { allowed: modelAliasRule },
            });
          }
        }
      })
      .describe('a map of model names clients send (e.g. "gpt-4o") to model refs ("amazon-bedrock/<id>")')
      .default({}),
  })
  .prefault({});

const timeoutsSchema = z
  .strictObject({
    firstChunkMs: withDefault(sharedSettings.firstChunkMs),
    idleMs: withDefault(sharedSettings.idleMs),
    turnMs: withDefault(sharedSettings.turnMs),
  })
  .superRefine((t, ctx) => {
    for (const key of ['firstChunkMs', 'idleMs'] as const) {
      if (t.turnMs > 0 && t[key] > t.turnMs)
        ctx.addIssue({
          code: 'custom',
          path: [key],
          input: t[key],
          message: `${key} (${t[key]}) is above turnMs (${t.turnMs})`,
          params: { allowed: `${key} <= turnMs` },
        });
    }
  })
  .prefault({});

/** The file's schema, before the two discovery spellings are merged. */
export const configFileSchema = z.strictObject({
  models: modelsSchema,
  agents: agentsSchema,
  plugins: pluginsSchema,
  redis: redisSchema,
  queue: queueSchema,
  pool: poolSchema,
  dispatcher: dispatcherSchema,
  streams: z
    .strictObject({
      ttlSeconds: withDefault(sharedSettings.retentionSeconds),
      lingerMs: withDefault(sharedSettings.eventLingerMs),
      writeRetryMs: withDefault(sharedSettings.eventWriteRetryMs),
    })
    .prefault({}),
  retry: z.strictObject({ afterOutput: withDefault(sharedSettings.retryAfterOutput) }).prefault({}),
  timeouts: timeoutsSchema,
  emulator: z.strictObject({ port: withDefault(sharedSettings.emulatorPort) }).prefault({}),
  shutdown: z.strictObject({ graceMs: withDefault(sharedSettings.shutdownGraceMs) }).prefault({}),
  bedrock: z
    .strictObject({
      quotas: quotasSchema,
      admission: admissionSchema,
      connections: z
        .strictObject({
          sessionReuse: withDefault(sharedSettings.bedrockSessionReuse),
          streamsPerSession: withDefault(sharedSettings.bedrockStreamsPerSession),
        })
        .prefault({}),
    })
    .prefault({}),
  catalog: z.strictObject({ unavailableTtlSeconds: withDefault(sharedSettings.unavailableTtlSeconds) }).prefault({}),
});

/**
 * The whole configuration: validates, fills defaults, and merges the discovery alias into
 * `models.bedrockDiscovery` key by key, `models.bedrockDiscovery` winning where both set a key.
 */
export const configSchema = configFileSchema.transform((file): TurnpoolConfig => {
  const alias = file.plugins.entries['amazon-bedrock']?.config?.discovery ?? {};
  const bedrockDiscovery = discoverySchema.parse({ ...alias, ...file.models.bedrockDiscovery });
  return { ...file, models: { ...file.models, bedrockDiscovery } };
});
