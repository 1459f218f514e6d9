#!/usr/bin/env node
// The `turnpool` command. turnpool runs its TypeScript sources through tsx's loader, so
// there is no build step between a checkout and a running stack.
import { homedir } from 'node:os';
import { register } from 'tsx/esm/api';

register();

// The AWS SDK warns on Node < 22 in every thread that loads it; turnpool silences that and says
// it itself, once per machine (src/node-version-note.ts), on the first run of a stack command.
if (Number(process.versions.node.split('.')[0]) < 22 && process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const { nodeVersionNoteCommands, takeNodeVersionNote } = await import('../src/node-version-note.ts');
  if (nodeVersionNoteCommands.includes(process.argv[2] ?? '')) {
    const note = takeNodeVersionNote({ env: process.env, homeDir: process.env.HOME || process.env.USERPROFILE || homedir() });
    if (note !== undefined) process.stderr.write(note);
  }
}

const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
// The command is over and its exit code decided. A library still retrying in the background
// (BullMQ reconnecting to an unreachable Redis after a stop that gave up) must not keep the
// process alive: exit, at the latest a second from now (at once when nothing is left).
setTimeout(() => process.exit(), 1000).unref();
