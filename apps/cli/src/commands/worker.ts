import { startWorkerHost } from '@turnpool/worker';
import { stackCommand } from '../stack/run-stack-command.ts';
import { workerOptionsFromStack } from '../stack/worker-options-from-stack.ts';

const help = `Usage: turnpool worker [--redis-url URL] [--config FILE] [--inline] [--emulator | --no-emulator]
                       [--log-level warn]

Runs one worker host: takes turns from the queue and runs them in piscina threads (--inline:
on the main thread). Run as many hosts as you need against one Redis. It needs AWS credentials
or TURNPOOL_BEDROCK_ENDPOINT (without either it exits 1 naming what it looked for); --emulator
runs it against the bundled emulator instead. SIGTERM stops taking turns, lets running ones
finish and cancels the rest: the stop ends within the grace period (shutdown.graceMs, 30 s)
whatever state Redis is in (exit 1 and one line when it had to give something up).
`;

export const workerCommand = stackCommand({
  name: 'worker',
  summary: 'run one worker host (scale out: one per machine, all on one Redis)',
  help,
  flags: { inline: true },
  defaultEmulator: 'never',
  async start(stack, flags, logger) {
    const host = await startWorkerHost({ ...workerOptionsFromStack(stack), inline: flags.inline, logger });
    return {
      parts: [{ name: 'worker host', close: () => host.close() }],
      banner: `turnpool worker host ${host.id} ready (queue ${stack.config.queue.name})\n`,
    };
  },
});
