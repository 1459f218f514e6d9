import { parseArgs, type ParseArgsConfig } from 'node:util';
import { redisUrlSchema } from '@turnpool/config';
import { UsageError } from './usage-error.ts';

/** The flags a command takes, in node:util `parseArgs` form (`{ json: { type: 'boolean' } }`). */
export type FlagSpecs = NonNullable<ParseArgsConfig['options']>;

/** `values` (typed from the specs) and `positionals`. */
export type ParsedFlags<O extends FlagSpecs> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>
>;

/**
 * The one way turnpool's commands (and the bench and chaos harnesses) read their flags:
 * node:util `parseArgs` in strict mode, so an unknown flag, a flag without its value or a value
 * given to a boolean flag is refused instead of ignored. The error becomes a `UsageError`
 * carrying Node's message on one line (it names the flag), which the caller prints with its
 * usage before exiting 2. Positionals are refused unless `allowPositionals` is set.
 */
export function parseFlags<const O extends FlagSpecs>(args: readonly string[], options: O, allowPositionals = false): ParsedFlags<O> {
  try {
    return parseArgs({ args: [...args], options, strict: true, allowPositionals });
  } catch (err) {
    let message = err instanceof Error ? err.message.trim().replace(/\s*\n\s*/g, ' ') : '';
    // Node adds how to pass a positional that starts with '-'; that helps for `-1`, not for `--quick`.
    if (/^Unknown option '--/.test(message)) message = message.replace(/^(Unknown option '[^']*')\..*$/, '$1');
    throw new UsageError(message || 'bad arguments', { cause: err });
  }
}

/** A `--redis-url` value, by the config's rule for `redis.url` (redis:// or rediss://); undefined stays undefined. */
export function redisUrlFlag(value: string | undefined): string | undefined {
  if (value !== undefined && !redisUrlSchema().safeParse(value).success)
    throw new UsageError('--redis-url must be a redis:// or rediss:// URL');
  return value;
}
