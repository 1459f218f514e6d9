import { BedrockClient } from '@aws-sdk/client-bedrock';
import fc from 'fast-check';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { configSchema } from '@turnpool/config';
import { createCatalog } from '@turnpool/discovery';
import { checkKeyPrefix } from '@turnpool/redis-connect';
import { testRedisUrl } from '@turnpool/testing';
import { createTurnClient } from '@turnpool/turn-store/client';
import { readTurnEvents } from '@turnpool/turn-store';
import { resolveWorkerHostOptions } from '@turnpool/worker';

// Every layer that takes a key prefix must accept exactly what the config file accepts: the
// worker alone refused `acme.prod`, so a fleet took turns that no worker could run.

const redis = new Redis(testRedisUrl(), { lazyConnect: true });
const control = new BedrockClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'y' } });
afterAll(async () => {
  redis.disconnect();
  control.destroy();
});

function accepts(run: () => unknown): boolean {
  try {
    run();
    return true;
  } catch {
    return false;
  }
}

async function acceptsAsync(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch {
    return false;
  }
}

async function verdicts(prefix: string): Promise<Record<string, boolean>> {
  return {
    config: configSchema.safeParse({ redis: { keyPrefix: prefix } }).success,
    worker: accepts(() => resolveWorkerHostOptions({ redisUrl: 'redis://127.0.0.1:1', keyPrefix: prefix })),
    turnClient: await acceptsAsync(async () => {
      const client = createTurnClient({
        redis,
        keyPrefix: prefix,
        resolveModel: async () => {
          throw new Error('unused');
        },
      });
      await client.close();
    }),
    discovery: accepts(() => createCatalog({ redis, control, keyPrefix: prefix, region: 'us-east-1', credentialsIdentity: 'abc' })),
    redisGuard: accepts(() => checkKeyPrefix(prefix)),
    // Reading a stream that does not exist answers [] for a good prefix, and refuses a bad one before any I/O.
    turnStream: await acceptsAsync(() => readTurnEvents(redis, prefix, 't-1', 0)),
  };
}

describe('one key prefix rule across layers', () => {
  it.each(['acme.prod', 'turnpool', 'a', 'x:y-z_1.2', 'a'.repeat(64), '', '{x}', 'a}b', 'a b', 'a'.repeat(65), 'é'])(
    '%j gets one verdict from every layer',
    async (prefix) => {
      const v = await verdicts(prefix);
      expect(new Set(Object.values(v)).size, JSON.stringify(v)).toBe(1);
    },
  );

  it('agrees on arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 70 }), async (prefix) => {
        const v = await verdicts(prefix);
        expect(new Set(Object.values(v)).size, `${JSON.stringify(prefix)}: ${JSON.stringify(v)}`).toBe(1);
      }),
      { numRuns: 60 },
    );
  });
});
