import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { discoveryInputSchema, discoverySchema, modelRefSchema, providerSchema } from './bedrock-schemas.ts';
import { intSchema, portSchema, redisUrlSchema } from './schema-helpers.ts';
import type { TurnpoolConfig } from './turnpool-config.ts';

// OpenClaw's sections (models, agents, plugins) strip keys turnpool does not read, so one
// file can serve OpenClaw and turnpool; the Bedrock parts inside them and turnpool's own
// sections are strict, so a typo is an error instead of a silently ignored key.

const modelsSchema = z.object({
  bedrockDiscovery: discoveryInputSchema.optional(),
  providers: z.object({ 'amazon-bedrock': providerSchema.optional() }).prefault({}),
}).prefault({});

const agentsSchema = z.object({
  defaults: z.object({ model: z.object({ primary: modelRefSchema.optional() }).prefault({}) }).prefault({}),
}).prefault({});

const pluginsSchema = z.object({
  entries: z.object({
    'amazon-bedrock': z.object({ config: z.object({ discovery: discoveryInputSchema.optional() }).optional() }).optional(),
  }).prefault({}),
}).prefault({});

const redisSchema = z.strictObject({
  url: redisUrlSchema().optional(),
  keyPrefix: z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/).describe('1-64 characters from A-Z a-z 0-9 _ . : -').default('turnpool'),
}).prefault({});

const queueSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/).describe('1-64 characters from A-Z a-z 0-9 _ . -').default('turns'),
  attempts: intSchema(1, 100, 'attempts per turn').default(3),
  backoffMs: intSchema(0, 3_600_000, 'milliseconds').default(1000),
  lockDurationMs: intSchema(1000, 600_000, 'milliseconds').default(5000),
  stalledIntervalMs: intSchema(500, 600_000, 'milliseconds').default(2000),
}).prefault({});

const poolSchema = z.strictObject({
  minThreads: intSchema(1, 1024, 'threads').default(1),
  maxThreads: intSchema(1, 1024, 'threads').optional(),
  concurrentTasksPerWorker: intSchema(1, 10_000, 'turns per thread').default(64),
  maxTurnsPerHost: intSchema(1, 1_000_000, 'turns').optional(),
}).superRefine((pool, ctx) => {
  if (pool.maxThreads !== undefined && pool.minThreads > pool.maxThreads) {
    ctx.addIssue({ code: 'custom', path: ['minThreads'], input: pool.minThreads, message: `minThreads (${pool.minThreads}) is above maxThreads (${pool.maxThreads})`, params: { allowed: 'minThreads <= maxThreads' } });
  }
}).transform((pool) => {
  const maxThreads = pool.maxThreads ?? Math.max(availableParallelism(), pool.minThreads);
  return { ...pool, maxThreads, maxTurnsPerHost: pool.maxTurnsPerHost ?? maxThreads * pool.concurrentTasksPerWorker };
}).prefault({});

const apiKeySchema = z.string().regex(/^[^\s,]{1,512}$/).describe('1-512 characters, no spaces or commas');

const dispatcherSchema = z.strictObject({
  host: z.string().regex(/^[^\s/]{1,253}$/).describe('a host name or IP address to listen on').default('127.0.0.1'),
  port: portSchema().default(8787),
  apiKeys: z.array(apiKeySchema).max(1000).describe('a list of bearer keys ([] = no auth)').default([]),
  bodyLimitBytes: intSchema(1024, 1_073_741_824, 'bytes').default(20 * 1024 * 1024),
}).prefault({});

const timeoutsSchema = z.strictObject({
  firstChunkMs: intSchema(1000, 3_600_000, 'milliseconds').default(60_000),
  idleMs: intSchema(1000, 3_600_000, 'milliseconds').default(30_000),
  turnMs: intSchema(1000, 86_400_000, 'milliseconds').default(600_000),
}).superRefine((t, ctx) => {
  for (const key of ['firstChunkMs', 'idleMs'] as const) {
    if (t[key] > t.turnMs) ctx.addIssue({ code: 'custom', path: [key], input: t[key], message: `${key} (${t[key]}) is above turnMs (${t.turnMs})`, params: { allowed: `${key} <= turnMs` } });
  }
}).prefault({});

/** The file's schema, before the two discovery spellings are merged. */
export const configFileSchema = z.strictObject({
  models: modelsSchema,
  agents: agentsSchema,
  plugins: pluginsSchema,
  redis: redisSchema,
  queue: queueSchema,
  pool: poolSchema,
  dispatcher: dispatcherSchema,
  streams: z.strictObject({ ttlSeconds: intSchema(1, 31_536_000, 'seconds').default(86_400) }).prefault({}),
  retry: z.strictObject({ afterOutput: z.boolean().describe('true or false').default(false) }).prefault({}),
  timeouts: timeoutsSchema,
  emulator: z.strictObject({ port: portSchema().default(8788) }).prefault({}),
  catalog: z.strictObject({ unavailableTtlSeconds: intSchema(1, 86_400, 'seconds').default(300) }).prefault({}),
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
