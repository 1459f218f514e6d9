// Test support: one "process of the fleet". Waits for `go` on stdin (so that every child
// starts its read at the same moment), reads the shared catalog once and prints a summary.
// env: EMULATOR_URL, REDIS_URL, PREFIX.
import { BedrockClient } from '@aws-sdk/client-bedrock';
import { Redis } from 'ioredis';
import { createCatalog } from '../create-catalog.ts';

const env = process.env;
const redis = new Redis(env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
const control = new BedrockClient({
  endpoint: env['EMULATOR_URL'] ?? '',
  region: 'us-east-1',
  maxAttempts: 1,
  credentials: { accessKeyId: 'AKIDEMULATOR', secretAccessKey: 'emulator-secret' },
});
const catalog = createCatalog({
  redis,
  control,
  keyPrefix: env['PREFIX'] ?? 'x',
  region: 'us-east-1',
  credentialsIdentity: 'fleet',
  discovery: { refreshInterval: 3600 },
  pollIntervalMs: 10,
});
await redis.ping();
process.stdout.write('ready\n');
await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));
try {
  const snap = await catalog.list();
  process.stdout.write(`${JSON.stringify({ count: snap.entries.length, stale: snap.stale, fetchedAt: snap.fetchedAt })}\n`);
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: (err as Error).message })}\n`);
  process.exitCode = 1;
} finally {
  redis.disconnect();
  control.destroy();
}
