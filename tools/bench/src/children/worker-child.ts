import { startWorkerHost, type WorkerHostOptions } from '@turnpool/worker';
import { childOpts, onStop } from './child-opts.ts';

// One worker host in its own process (what `turnpool worker` runs), so /proc shows its CPU alone.
const host = await startWorkerHost(childOpts<WorkerHostOptions>());
onStop(() => host.close());
process.stdout.write(`READY ${JSON.stringify({ id: host.id })}\n`);
