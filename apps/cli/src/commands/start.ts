import { startDispatcher } from '@turnpool/dispatcher';
import { startWorkerHost } from '@turnpool/worker';
import { dispatcherOptionsFromStack } from '../stack/dispatcher-options-from-stack.ts';
import { stackCommand } from '../stack/run-stack-command.ts';
import { workerOptionsFromStack } from '../stack/worker-options-from-stack.ts';

const help = `Usage: turnpool start [--port 8787] [--host 127.0.0.1] [--redis-url URL] [--emulator | --no-emulator]
                      [--inline] [--config FILE] [--log-level warn]

Runs the whole stack in one process: the dispatcher (HTTP API) and a worker host (piscina
threads), on Redis (--redis-url, config redis.url, REDIS_URL, else 127.0.0.1:6379), against
Amazon Bedrock — or, the local demo, the bundled emulator when neither AWS credentials nor
TURNPOOL_BEDROCK_ENDPOINT are found, said in one line (--emulator forces it, --no-emulator
forbids it: then no credentials is an error). \`npm start\` runs this after finding or
starting Redis. Stop with Ctrl-C: running turns finish, and the stop ends within the grace
period (shutdown.graceMs, 30 s) even with Redis unreachable (then exit 1, saying what it gave up).
`;

export const startCommand = stackCommand({
  name: 'start',
  summary: 'run the whole stack here: dispatcher + worker host (+ the emulator without AWS credentials)',
  help,
  flags: { port: true, inline: true },
  defaultEmulator: 'auto',
  async start(stack, flags, logger) {
    const worker = await startWorkerHost({ ...workerOptionsFromStack(stack), inline: flags.inline, logger });
    const dispatcher = await startDispatcher(await dispatcherOptionsFromStack(stack, flags, logger)).catch(async (err: unknown) => {
      // The dispatcher's failure (a taken port) is the news; the worker host's close only logs.
      await worker
        .close()
        .catch((closeErr: unknown) => logger.warn({ err: { message: (closeErr as Error).message } }, 'worker host close failed'));
      throw err;
    });
    const { url } = dispatcher;
    return {
      // Close the API first (no new turns), then let the worker host drain.
      parts: [
        { name: 'dispatcher', close: () => dispatcher.close() },
        { name: 'worker host', close: () => worker.close() },
      ],
      banner: [
        `turnpool is running: ${url} (region ${stack.bedrock.region.region}, Redis ${stack.redisUrl.replace(/\/\/[^@/]*@/, '//***@')})`,
        `  try:  npx turnpool chat "hello"${url === 'http://127.0.0.1:8787' ? '' : ` --url ${url}`}`,
        `  or:   curl -s ${url}/v1/turns -H 'content-type: application/json' -d '{"messages":[{"role":"user","content":[{"text":"hello"}]}]}'`,
        '  stop: Ctrl-C',
        '',
      ].join('\n'),
    };
  },
});
