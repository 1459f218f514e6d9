import { pino } from 'pino';
import { startDispatcher, type RunningDispatcher } from '@turnpool/dispatcher';
import type { Command } from '../command.ts';
import { openStack, StackError, type StackContext } from '../stack/open-stack.ts';
import { FlagError, parseStackArgs } from '../stack/parse-stack-args.ts';
import { waitForSignal } from '../stack/wait-for-signal.ts';

const help = `Usage: turnpool dispatcher [--port 8787] [--host 127.0.0.1] [--redis-url URL] [--config FILE]
                           [--emulator | --no-emulator] [--log-level warn]

Runs only the dispatcher (HTTP API) — scale it out independently of worker hosts; all share
one Redis. Without AWS credentials it discovers models from the emulator (--no-emulator to refuse).
`;

export const dispatcherCommand: Command = {
  name: 'dispatcher',
  summary: 'run only the HTTP dispatcher (scale out beside `turnpool worker` hosts)',
  async run(args, io) {
    let flags;
    try {
      flags = parseStackArgs(args, { port: true });
    } catch (err) {
      io.err(`turnpool dispatcher: ${(err as Error).message}\n`);
      return 2;
    }
    if (flags.help) {
      io.out(help);
      return 0;
    }
    let stack: StackContext | undefined;
    let dispatcher: RunningDispatcher | undefined;
    const logger = pino({ level: flags.logLevel }, pino.destination(2));
    try {
      stack = await openStack(io, { configPath: flags.configPath, redisUrl: flags.redisUrl, emulator: flags.emulator });
      const { config } = stack;
      dispatcher = await startDispatcher({
        redisUrl: stack.redisUrl, catalog: stack.catalog, region: stack.bedrock.region.region, defaultModel: stack.defaultModel,
        keyPrefix: config.redis.keyPrefix, queueName: config.queue.name, attempts: config.queue.attempts, backoffMs: config.queue.backoffMs,
        retentionSeconds: config.streams.ttlSeconds, apiKeys: config.dispatcher.apiKeys, bodyLimitBytes: config.dispatcher.bodyLimitBytes,
        host: flags.host ?? config.dispatcher.host, port: flags.port ?? config.dispatcher.port, logger,
      });
      io.out(`turnpool dispatcher listening on ${dispatcher.url}\n`);
      await waitForSignal();
      return 0;
    } catch (err) {
      if (err instanceof StackError || err instanceof FlagError) {
        io.err(`turnpool dispatcher: ${err.message}\n`);
        return 1;
      }
      throw err;
    } finally {
      await dispatcher?.close();
      await stack?.close();
    }
  },
};
