import { threadId } from 'node:worker_threads';
import type { BedrockRuntimeClient } from '@aws-sdk/client-bedrock-runtime';
import type { Cluster, Redis } from 'ioredis';
import { resolveRegion } from '@turnpool/credentials';
import { createBedrockClients } from '@turnpool/credentials/clients';
import { createRedis } from '@turnpool/redis-connect';
import { CancelRegistry } from '../cancel-registry.ts';
import { threadData, threadEnv } from './thread-data.ts';

/**
 * What one thread keeps for every turn it runs: one Redis publisher connection, one
 * BedrockRuntimeClient per region (clients are built once per thread, never per request: the
 * credential providers cache and refresh, and no IMDS probe repeats; with `connections.sessionReuse`
 * the thread's ConverseStream calls share its client's pooled HTTP/2 sessions), and the cancel registry.
 */
interface Resources {
  redis: Redis | Cluster;
  clients: Map<string, BedrockRuntimeClient>;
  cancels: Map<string, CancelRegistry>;
}

let resources: Resources | undefined;

function get(): Resources {
  if (resources) return resources;
  const { options } = threadData();
  const redis = createRedis(options.redisUrl, { maxRetriesPerRequest: 20, enableAutoPipelining: false });
  redis.on('error', () => {}); // surfaced on the write promises; reconnects by itself
  resources = {
    redis,
    clients: new Map(),
    cancels: new Map(),
  };
  return resources;
}

export function threadRedis(): Redis | Cluster {
  return get().redis;
}

export function threadCancels(channel: string): CancelRegistry {
  const r = get();
  let reg = r.cancels.get(channel);
  if (!reg) {
    reg = new CancelRegistry(channel);
    r.cancels.set(channel, reg);
  }
  return reg;
}

/** The runtime client for a region (the model's, else the host's, else the resolved default). */
export async function threadRuntimeClient(region: string | undefined): Promise<BedrockRuntimeClient> {
  const r = get();
  const { options } = threadData();
  const chosen = region ?? options.region ?? resolveRegion({ env: threadEnv() }).region;
  let client = r.clients.get(chosen);
  if (!client) {
    client = createBedrockClients({
      region: chosen,
      endpoint: options.bedrockEndpoint,
      credentials: threadData().credentials,
      env: threadEnv(),
      sessionReuse: options.connections.sessionReuse,
      streamsPerSession: options.connections.streamsPerSession,
    }).runtime;
    r.clients.set(chosen, client);
  }
  return client;
}

export function threadLabel(): string {
  return `${threadData().options.workerId}/t${threadId}`;
}

/** Closes what the thread holds (inline mode calls it on host close; threads end with the pool). */
export async function closeThreadResources(): Promise<void> {
  const r = resources;
  resources = undefined;
  if (!r) return;
  for (const c of r.clients.values()) c.destroy();
  for (const reg of r.cancels.values()) reg.close();
  await r.redis.quit().catch(() => r.redis.disconnect());
}
