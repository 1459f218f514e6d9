export { main, usage } from './main.ts';
export type { Command } from './command.ts';
export type { CliIo } from './cli-io.ts';
