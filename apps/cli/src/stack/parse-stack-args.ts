import { parseArgs } from 'node:util';
import { redisUrlFlag } from '../parse-flags.ts';
import { UsageError } from '../usage-error.ts';
import type { EmulatorMode } from './open-stack.ts';

export interface StackArgs {
  help: boolean;
  configPath?: string;
  redisUrl?: string;
  port?: number;
  host?: string;
  emulator: EmulatorMode;
  inline: boolean;
  logLevel: string;
}

const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/**
 * Flags shared by `start`, `dispatcher` and `worker`; each error names the flag. Without
 * `--emulator` / `--no-emulator` the mode is the command's `defaultEmulator`.
 */
export function parseStackArgs(
  args: string[],
  allowed: { port?: boolean; inline?: boolean },
  defaultEmulator: 'auto' | 'never',
): StackArgs {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      strict: true,
      allowPositionals: false,
      options: {
        help: { type: 'boolean', short: 'h' },
        config: { type: 'string' },
        'redis-url': { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        emulator: { type: 'boolean' },
        'no-emulator': { type: 'boolean' },
        inline: { type: 'boolean' },
        'log-level': { type: 'string' },
      },
    });
  } catch (err) {
    throw new UsageError((err as Error).message.split('\n')[0] ?? 'bad arguments');
  }
  const v = parsed.values;
  if (v.port !== undefined && !allowed.port) throw new UsageError('--port is not an option of this command');
  if (v.inline !== undefined && !allowed.inline) throw new UsageError('--inline is not an option of this command');
  let port: number | undefined;
  if (v.port !== undefined) {
    if (!/^\d{1,5}$/.test(v.port) || Number(v.port) > 65535)
      throw new UsageError(`--port must be a port number 0-65535, got "${v.port.slice(0, 40)}"`);
    port = Number(v.port);
  }
  if (v.host !== undefined && !/^[A-Za-z0-9.:[\]-]{1,255}$/.test(v.host)) throw new UsageError('--host must be a host name or IP address');
  const logLevel = v['log-level'] ?? 'warn';
  if (!levels.includes(logLevel)) throw new UsageError(`--log-level must be one of ${levels.join(', ')}`);
  if (v.emulator && v['no-emulator']) throw new UsageError('--emulator and --no-emulator exclude each other');
  return {
    help: v.help ?? false,
    configPath: v.config,
    redisUrl: redisUrlFlag(v['redis-url']),
    port,
    host: v.host,
    emulator: v.emulator ? 'always' : v['no-emulator'] ? 'never' : defaultEmulator,
    inline: v.inline ?? false,
    logLevel,
  };
}
