export { main, usage } from './main.ts';
export type { Command } from './command.ts';
export type { CliIo } from './cli-io.ts';
export { parseFlags, type FlagSpecs, type ParsedFlags } from './parse-flags.ts';
export { UsageError } from './usage-error.ts';
export { turnpoolBin } from './turnpool-bin.ts';
export { parseArgsOrUsage } from './parse-args-or-usage.ts';
