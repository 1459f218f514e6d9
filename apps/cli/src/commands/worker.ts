import { pino } from 'pino';
import { startWorkerHost, type WorkerHost } from '@turnpool/worker';
import type { Command } from '../command.ts';
import { openStack, StackError, type StackContext } from '../stack/open-stack.ts';
import { FlagError, parseStackArgs } from '../stack/parse-stack-args.ts';
import { waitForSignal } from '../stack/wait-for-signal.ts';
import { workerOptionsFromConfig } from '../stack/worker-options-from-config.ts';

const help = `Usage: turnpool worker [--redis-url URL] [--config FILE] [--inline] [--emulator | --no-emulator]
                       [--log-level warn]

Runs one worker host: takes turns from the queue and runs them in piscina threads (--inline:
on the main thread). Run as many hosts as you need against one Redis. SIGTERM stops taking
turns and lets running ones finish within the grace period.
`;

export const workerCommand: Command = {
  name: 'worker',
  summary: 'run one worker host (scale out: one per machine, all on one Redis)',
  async run(args, io) {
    let flags;
    try {
      flags = parseStackArgs(args, { inline: true });
    } catch (err) {
      io.err(`turnpool worker: ${(err as Error).message}\n`);
      return 2;
    }
    if (flags.help) {
      io.out(help);
      return 0;
    }
    let stack: StackContext | undefined;
    let host: WorkerHost | undefined;
    const logger = pino({ level: flags.logLevel }, pino.destination(2));
    try {
      stack = await openStack(io, { configPath: flags.configPath, redisUrl: flags.redisUrl, emulator: flags.emulator });
      host = await startWorkerHost({ ...workerOptionsFromConfig(stack.config, stack.redisUrl), inline: flags.inline, catalog: stack.catalog, logger });
      io.out(`turnpool worker host ${host.id} ready (queue ${stack.config.queue.name})\n`);
      await waitForSignal();
      return 0;
    } catch (err) {
      if (err instanceof StackError || err instanceof FlagError) {
        io.err(`turnpool worker: ${err.message}\n`);
        return 1;
      }
      throw err;
    } finally {
      await host?.close();
      await stack?.close();
    }
  },
};
