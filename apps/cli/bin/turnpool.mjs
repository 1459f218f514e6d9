#!/usr/bin/env node
// The `turnpool` command. turnpool runs its TypeScript sources through tsx's loader, so
// there is no build step between a checkout and a running stack.
import { register } from 'tsx/esm/api';

// The AWS SDK warns on Node < 22 in every thread that loads it; say it once, in one line.
if (Number(process.versions.node.split('.')[0]) < 22 && process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  if (process.argv[2] === 'start') {
    process.stderr.write(`note: Node ${process.versions.node} works; AWS SDK releases after January 2027 will need Node 22+.\n`);
  }
}

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
// The command is over and its exit code decided. A library still retrying in the background
// (BullMQ reconnecting to an unreachable Redis after a stop that gave up) must not keep the
// process alive: exit, at the latest a second from now (at once when nothing is left).
setTimeout(() => process.exit(), 1000).unref();
