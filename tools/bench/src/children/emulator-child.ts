import { startEmulator, type EmulatorOptions } from '@turnpool/bedrock-emulator';
import { childOpts, onStop } from './child-opts.ts';

// The emulator in its own process, so its CPU does not count against the worker or the client.
const emulator = await startEmulator({ ...childOpts<EmulatorOptions>(), host: '127.0.0.1' });
onStop(() => emulator.close());
// `ca`: the certificate of a `tls: true` emulator, for the clients to trust.
process.stdout.write(`READY ${JSON.stringify({ url: emulator.url, ...(emulator.tls ? { ca: emulator.tls.cert } : {}) })}\n`);
