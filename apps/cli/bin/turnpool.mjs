#!/usr/bin/env node
// The `turnpool` command. It runs the built JavaScript (bundle/, made by `nx bundle cli`, when it
// is fresh, else dist/, made by `nx build cli`; `npm start` makes both) — no TypeScript compiler
// at run time. Started with `--conditions=@turnpool/source`
// (tests, harnesses, `node --conditions=@turnpool/source apps/cli/bin/turnpool.mjs` while
// developing) it runs the TypeScript sources instead, through tsx's loader (a dev dependency).
// docs/development.md, "Sources or dist".
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { freshBundle } from './fresh-bundle.mjs';

// The package's own export, resolved as Node resolves it: src/index.ts under the source
// condition, dist/index.js otherwise. Everything else loads from the same directory.
const entry = import.meta.resolve('@turnpool/cli');
const fromSource = entry.endsWith('.ts');
if (fromSource) {
  const { register } = await import('tsx/esm/api');
  register();
} else if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write(
    'turnpool: not built (no apps/cli/dist). Run `npx nx build cli` (npm start does), or run the sources: node --conditions=@turnpool/source apps/cli/bin/turnpool.mjs\n',
  );
  process.exit(1);
}
const ext = fromSource ? '.ts' : '.js';
const base = fromSource ? entry : (freshBundle() ?? entry);
const sibling = (name) => new URL(`./${name}${ext}`, base).href;

// Built, the bundle (`nx bundle cli`, bundle/: the same code as dist/ in a few files, which starts
// several times faster than dist/'s hundreds of modules) runs when it is there and made from what
// is built now (fresh-bundle.mjs; after a `nx build` without `nx bundle`, dist/ runs);
// TURNPOOL_BUNDLE=0 runs dist/ always. docs/development.md, "Sources or dist".

// The AWS SDK warns on Node < 22 in every thread that loads it; turnpool silences that and says
// it itself, once per machine (src/node-version-note.ts), on the first run of a stack command.
if (Number(process.versions.node.split('.')[0]) < 22 && process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED === undefined) {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const { nodeVersionNoteCommands, takeNodeVersionNote } = await import(sibling('node-version-note'));
  if (nodeVersionNoteCommands.includes(process.argv[2] ?? '')) {
    const note = takeNodeVersionNote({ env: process.env, homeDir: process.env.HOME || process.env.USERPROFILE || homedir() });
    if (note !== undefined) process.stderr.write(note);
  }
}

const { main } = await import(sibling('main'));
process.exitCode = await main(process.argv.slice(2));
// The command is over and its exit code decided. A library still retrying in the background
// (BullMQ reconnecting to an unreachable Redis after a stop that gave up) must not keep the
// process alive: exit, at the latest a second from now (at once when nothing is left).
setTimeout(() => process.exit(), 1000).unref();
