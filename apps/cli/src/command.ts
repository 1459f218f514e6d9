import type { CliIo } from './cli-io.ts';

/** One `turnpool <name>` subcommand. `run` returns the exit code; it never calls process.exit. */
export interface Command {
  name: string;
  summary: string;
  run(args: string[], io: CliIo): Promise<number>;
}
