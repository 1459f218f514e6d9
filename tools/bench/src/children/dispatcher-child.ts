import { startDispatcher } from '@turnpool/dispatcher';
import { benchCatalog } from '../bench-model.ts';
import { childOpts, onStop } from './child-opts.ts';

// The dispatcher (HTTP API) in its own process, with a fixed in-memory catalog.
const o = childOpts<{ redisUrl: string; keyPrefix: string }>();
const d = await startDispatcher({ redisUrl: o.redisUrl, keyPrefix: o.keyPrefix, catalog: benchCatalog, region: 'us-east-1', port: 0 });
onStop(() => d.close());
process.stdout.write(`READY ${JSON.stringify({ url: d.url })}\n`);
