import { BedrockClient, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { createCatalog } from '@turnpool/discovery';
import type { ScenarioContext, ScenarioResult } from '../scenario.ts';

const r2 = (n: number) => Math.round(n * 100) / 100;

/** Calls `fn` back to back (`parallel` at a time) for `ms`; reads per second and mean latency. */
async function rate(
  ms: number,
  parallel: number,
  fn: () => Promise<unknown>,
): Promise<{ perSec: number; meanMs: number; n: number; errors: number }> {
  const t0 = performance.now();
  let n = 0;
  let errors = 0;
  const lane = async () => {
    while (performance.now() - t0 < ms && n + errors < 5_000_000) {
      try {
        await fn();
        n++;
      } catch {
        if (++errors > 100) throw new Error('catalog reads: more than 100 errors');
      }
    }
  };
  await Promise.all(Array.from({ length: parallel }, lane));
  const secs = (performance.now() - t0) / 1000;
  return { perSec: n / secs, meanMs: ((secs * 1000) / n) * parallel, n, errors };
}

/**
 * Scenario 7: catalog reads/s from the process's in-memory copy, from the shared Redis copy
 * (localTtlMs 0: every list() reads Redis), and a ListFoundationModels call to the emulator.
 */
export async function catalogReads(ctx: ScenarioContext): Promise<ScenarioResult> {
  const { stack, quick } = ctx;
  const ms = quick ? 700 : 4000;
  const prefix = stack.prefix('catalog');
  const control = new BedrockClient({
    endpoint: stack.emulatorUrl,
    region: 'us-east-1',
    maxAttempts: 3,
    credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench-secret' },
  });
  const common = {
    redis: stack.redis,
    keyPrefix: prefix,
    control,
    region: 'us-east-1',
    credentialsIdentity: 'bench',
    discovery: { refreshInterval: 3600 },
  };
  const rows: (string | number)[][] = [];
  const data: Record<string, unknown> = {};
  try {
    const memory = createCatalog({ ...common, localTtlMs: 3_600_000 });
    const entries = (await memory.list()).entries.length;
    const viaRedis = createCatalog({ ...common, localTtlMs: 0 });
    await viaRedis.list();
    for (const [name, fn] of [
      ['in-process copy', () => memory.list()],
      ['Redis copy (localTtlMs 0)', () => viaRedis.list()],
      ['ListFoundationModels (emulator)', () => control.send(new ListFoundationModelsCommand({}))],
    ] as const) {
      for (const parallel of [1, 16]) {
        ctx.log(`catalog reads: ${name}, ${parallel} at a time`);
        const r = await rate(ms, parallel, fn);
        rows.push([name, parallel, Math.round(r.perSec), r2(r.meanMs), r.errors]);
        data[`${name} x${parallel}`] = r;
      }
    }
    data['entries'] = entries;
  } finally {
    control.destroy();
    await stack.cleanup(prefix);
  }
  return {
    id: 'catalog',
    title: '7. Catalog reads: in-process copy vs Redis copy vs ListFoundationModels',
    setup: `${ms / 1000} s per row, sequential awaits per lane; createCatalog (libs/discovery) on the private Redis with the emulator's built-in catalog (${String(data['entries'])} entries)`,
    tables: [{ title: 'Catalog reads', headers: ['source', 'in flight', 'reads/s', 'mean ms', 'errors'], rows }],
    notes: [
      'The dispatcher resolves a model on every POST /v1/turns through the in-process copy (refreshed from Redis every localTtlMs, default 1 s).',
    ],
    targets: [],
    data,
  };
}
