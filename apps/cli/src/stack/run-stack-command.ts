import { pino, type Logger } from 'pino';
import type { CliIo } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { describeListenFailure } from '../describe-listen-failure.ts';
import { openStack, StackError, type StackContext } from './open-stack.ts';
import { parseStackArgs, type StackArgs } from './parse-stack-args.ts';
import type { StackPart } from './stack-part.ts';
import { stopStack } from './stop-stack.ts';
import { waitForSignal } from './wait-for-signal.ts';

/** What a stack command starts; each part is closed (in order) when the process stops. */
export interface StartedParts {
  /** The lines to print once everything is up. */
  banner: string;
  parts: StackPart[];
}

export interface StackCommandSpec {
  name: string;
  summary: string;
  help: string;
  flags: { port?: boolean; inline?: boolean };
  /**
   * The emulator mode without `--emulator` / `--no-emulator`: `auto` (fall back to the
   * emulator when no credentials and no endpoint are found) only for `start`, the local demo;
   * `never` for the fleet commands, which must never answer users from the emulator.
   */
  defaultEmulator: 'auto' | 'never';
  start(stack: StackContext, flags: StackArgs, logger: Logger, io: CliIo): Promise<StartedParts>;
}

/**
 * The shape `start`, `dispatcher` and `worker` share: parse flags (exit 2 naming a bad one),
 * open the stack (config, Redis, credentials or the emulator, catalog), start the parts, print
 * the banner, run until SIGINT/SIGTERM, then close every part within the grace period
 * (`shutdown.graceMs`). Any failure — to start, or to stop cleanly — is one line and exit 1.
 */
export function stackCommand(spec: StackCommandSpec): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    help: spec.help,
    async run(args, io) {
      // A bad flag is a UsageError: `main` prints it with this command's usage and exits 2.
      const flags: StackArgs = parseStackArgs(args, spec.flags, spec.defaultEmulator);
      if (flags.help) {
        io.out(spec.help);
        return 0;
      }
      const logger = pino({ level: flags.logLevel }, pino.destination(2));
      const parts: StackPart[] = [];
      let stack: StackContext | undefined;
      let code = 0;
      try {
        stack = await openStack(io, { configPath: flags.configPath, redisUrl: flags.redisUrl, emulator: flags.emulator });
        const started = await spec.start(stack, flags, logger, io);
        parts.push(...started.parts);
        // Listen before the ready line: a SIGTERM sent the moment it appears must stop gracefully.
        const signal = waitForSignal();
        io.out(started.banner);
        const sig = await signal;
        io.out(`\n${sig}: finishing running turns, then stopping…\n`);
      } catch (err) {
        code = 1;
        io.err(`turnpool ${spec.name}: ${startFailure(err)}\n`);
      }
      const problems = await stopStack(parts, stack);
      if (problems !== undefined) {
        io.err(`turnpool ${spec.name}: ${problems}\n`);
        code = 1;
      }
      logger.flush();
      return code;
    },
  };
}

/** The one line for a failed start: ours say what to fix; a port another process holds names the flag. */
function startFailure(err: unknown): string {
  if (err instanceof StackError) return err.message;
  return (
    describeListenFailure(err, 'the dispatcher', 'choose another with --port (0 = any free port) or set dispatcher.port') ??
    (err instanceof Error ? err.message : String(err))
  );
}
