import { pino, type Logger } from 'pino';
import type { CliIo } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { openStack, StackError, type StackContext } from './open-stack.ts';
import { FlagError, parseStackArgs, type StackArgs } from './parse-stack-args.ts';
import { waitForSignal } from './wait-for-signal.ts';

/** What a stack command starts; each part is closed (in order) when the process stops. */
export interface StartedParts {
  /** The lines to print once everything is up. */
  banner: string;
  closers: (() => Promise<unknown>)[];
}

export interface StackCommandSpec {
  name: string;
  summary: string;
  help: string;
  flags: { port?: boolean; inline?: boolean };
  start(stack: StackContext, flags: StackArgs, logger: Logger, io: CliIo): Promise<StartedParts>;
}

/**
 * The shape `start`, `dispatcher` and `worker` share: parse flags (exit 2 naming a bad one),
 * open the stack (config, Redis, credentials or the emulator, catalog), start the parts, print
 * the banner, run until SIGINT/SIGTERM, then close every part even if one fails.
 */
export function stackCommand(spec: StackCommandSpec): Command {
  return {
    name: spec.name,
    summary: spec.summary,
    async run(args, io) {
      let flags: StackArgs;
      try {
        flags = parseStackArgs(args, spec.flags);
      } catch (err) {
        io.err(`turnpool ${spec.name}: ${(err as Error).message}\n`);
        return 2;
      }
      if (flags.help) {
        io.out(spec.help);
        return 0;
      }
      const logger = pino({ level: flags.logLevel }, pino.destination(2));
      const closers: (() => Promise<unknown>)[] = [];
      let stack: StackContext | undefined;
      try {
        stack = await openStack(io, { configPath: flags.configPath, redisUrl: flags.redisUrl, emulator: flags.emulator });
        const parts = await spec.start(stack, flags, logger, io);
        closers.push(...parts.closers);
        io.out(parts.banner);
        const sig = await waitForSignal();
        io.out(`\n${sig}: finishing running turns, then stopping…\n`);
        return 0;
      } catch (err) {
        if (err instanceof StackError || err instanceof FlagError) {
          io.err(`turnpool ${spec.name}: ${err.message}\n`);
          return 1;
        }
        throw err;
      } finally {
        for (const close of closers) await close().catch((err: unknown) => logger.warn({ err }, 'close failed'));
        await stack?.close();
        logger.flush();
      }
    },
  };
}
