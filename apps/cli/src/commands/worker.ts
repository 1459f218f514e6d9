import { startWorkerHost } from '@turnpool/worker';
import { stackCommand } from '../stack/run-stack-command.ts';
import { workerOptionsFromConfig } from '../stack/worker-options-from-config.ts';

const help = `Usage: turnpool worker [--redis-url URL] [--config FILE] [--inline] [--emulator | --no-emulator]
                       [--log-level warn]

Runs one worker host: takes turns from the queue and runs them in piscina threads (--inline:
on the main thread). Run as many hosts as you need against one Redis. SIGTERM stops taking
turns and lets running ones finish within the grace period.
`;

export const workerCommand = stackCommand({
  name: 'worker',
  summary: 'run one worker host (scale out: one per machine, all on one Redis)',
  help,
  flags: { inline: true },
  async start(stack, flags, logger) {
    const host = await startWorkerHost({ ...workerOptionsFromConfig(stack.config, stack.redisUrl), inline: flags.inline, catalog: stack.catalog, logger });
    return { closers: [() => host.close()], banner: `turnpool worker host ${host.id} ready (queue ${stack.config.queue.name})\n` };
  },
});
