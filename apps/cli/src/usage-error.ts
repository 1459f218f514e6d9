/**
 * A command-line mistake (unknown flag or subcommand, a missing or malformed value). `turnpool`
 * prints `turnpool <command>: <message>` and the command's usage, and exits 2; bench and chaos
 * do the same with their own usage.
 */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  readonly code = 'usage';
}
