#!/usr/bin/env node
// The `turnpool` command. turnpool runs its TypeScript sources through tsx's loader, so
// there is no build step between a checkout and a running stack.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
process.exitCode = await main(process.argv.slice(2));
