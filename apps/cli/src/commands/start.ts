import { pino } from 'pino';
import { startDispatcher, type RunningDispatcher } from '@turnpool/dispatcher';
import { startWorkerHost, type WorkerHost } from '@turnpool/worker';
import type { Command } from '../command.ts';
import { openStack, StackError, type StackContext } from '../stack/open-stack.ts';
import { FlagError, parseStackArgs } from '../stack/parse-stack-args.ts';
import { waitForSignal } from '../stack/wait-for-signal.ts';
import { workerOptionsFromConfig } from '../stack/worker-options-from-config.ts';

const help = `Usage: turnpool start [--port 8787] [--host 127.0.0.1] [--redis-url URL] [--emulator | --no-emulator]
                      [--inline] [--config FILE] [--log-level warn]

Runs the whole stack in one process: the dispatcher (HTTP API) and a worker host (piscina
threads), on Redis (--redis-url, config redis.url, REDIS_URL, else 127.0.0.1:6379), against
Amazon Bedrock — or the bundled emulator when no AWS credentials are found (--emulator forces
it, --no-emulator forbids it). \`npm start\` runs this after finding or starting Redis.
Stop with Ctrl-C: running turns finish (grace period), then everything closes.
`;

export const startCommand: Command = {
  name: 'start',
  summary: 'run the whole stack here: dispatcher + worker host (+ the emulator without AWS credentials)',
  async run(args, io) {
    let flags;
    try {
      flags = parseStackArgs(args, { port: true, inline: true });
    } catch (err) {
      io.err(`turnpool start: ${(err as Error).message}\n`);
      return 2;
    }
    if (flags.help) {
      io.out(help);
      return 0;
    }
    let stack: StackContext | undefined;
    let worker: WorkerHost | undefined;
    let dispatcher: RunningDispatcher | undefined;
    const logger = pino({ level: flags.logLevel }, pino.destination(2));
    try {
      stack = await openStack(io, { configPath: flags.configPath, redisUrl: flags.redisUrl, emulator: flags.emulator });
      const { config } = stack;
      worker = await startWorkerHost({ ...workerOptionsFromConfig(config, stack.redisUrl), inline: flags.inline, catalog: stack.catalog, logger });
      dispatcher = await startDispatcher({
        redisUrl: stack.redisUrl, catalog: stack.catalog, region: stack.bedrock.region.region, defaultModel: stack.defaultModel,
        keyPrefix: config.redis.keyPrefix, queueName: config.queue.name, attempts: config.queue.attempts, backoffMs: config.queue.backoffMs,
        retentionSeconds: config.streams.ttlSeconds, apiKeys: config.dispatcher.apiKeys, bodyLimitBytes: config.dispatcher.bodyLimitBytes,
        host: flags.host ?? config.dispatcher.host, port: flags.port ?? config.dispatcher.port, logger,
      });
      io.out([
        `turnpool is running: ${dispatcher.url} (region ${stack.bedrock.region.region}, Redis ${stack.redisUrl.replace(/\/\/[^@/]*@/, '//***@')})`,
        `  try:  npx turnpool chat "hello"${dispatcher.url === 'http://127.0.0.1:8787' ? '' : ` --url ${dispatcher.url}`}`,
        `  or:   curl -s ${dispatcher.url}/v1/turns -H 'content-type: application/json' -d '{"messages":[{"role":"user","content":[{"text":"hello"}]}]}'`,
        '  stop: Ctrl-C',
        '',
      ].join('\n'));
      const sig = await waitForSignal();
      io.out(`\n${sig}: finishing running turns, then stopping…\n`);
      return 0;
    } catch (err) {
      if (err instanceof StackError || err instanceof FlagError) {
        io.err(`turnpool start: ${err.message}\n`);
        return 1;
      }
      throw err;
    } finally {
      await dispatcher?.close();
      await worker?.close();
      await stack?.close();
      logger.flush();
    }
  },
};
