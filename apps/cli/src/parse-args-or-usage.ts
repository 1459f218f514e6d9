import { UsageError } from './usage-error.ts';

/**
 * Parses a harness's argv (`npm run bench`, `npm run chaos`) with the CLI's usage-error rule: a
 * UsageError prints `<name>: <message>`, a blank line and the usage on stderr, and gives
 * `undefined` (the caller exits 2); any other error is thrown.
 */
export function parseArgsOrUsage<T>(name: string, parse: () => T, usage: () => string): T | undefined {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    process.stderr.write(`${name}: ${err.message}\n\n${usage()}`);
    return undefined;
  }
}
