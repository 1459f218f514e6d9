import { Worker } from 'bullmq';
import { childOpts, onStop } from './child-opts.ts';

// A raw BullMQ worker with an empty processor, configured like the turnpool worker host's
// (concurrency, lock and stalled settings), in its own process.
const o = childOpts<{ redisUrl: string; prefix: string; queue: string; concurrency: number }>();
const worker = new Worker(o.queue, async () => null, {
  connection: { url: o.redisUrl, maxRetriesPerRequest: null } as never,
  prefix: o.prefix,
  concurrency: o.concurrency,
  lockDuration: 5000,
  stalledInterval: 2000,
});
await worker.waitUntilReady();
onStop(() => worker.close());
process.stdout.write(`READY ${JSON.stringify({ pid: process.pid })}\n`);
