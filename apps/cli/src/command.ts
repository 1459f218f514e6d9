import type { CliIo } from './cli-io.ts';

/** One `turnpool <name>` subcommand. `run` returns the exit code; it never calls process.exit. */
export interface Command {
  name: string;
  summary: string;
  /**
   * The command's usage text (what `--help` prints). When `run` throws a `UsageError`, `main`
   * prints the error's message and this text on stderr and exits 2.
   */
  help?: string;
  run(args: string[], io: CliIo): Promise<number>;
}
