import { startDispatcher } from '@turnpool/dispatcher';
import { dispatcherOptionsFromStack } from '../stack/dispatcher-options-from-stack.ts';
import { stackCommand } from '../stack/run-stack-command.ts';

const help = `Usage: turnpool dispatcher [--port 8787] [--host 127.0.0.1] [--redis-url URL] [--config FILE]
                           [--emulator | --no-emulator] [--log-level warn]

Runs only the dispatcher (HTTP API) — scale it out independently of worker hosts; all share
one Redis. It needs AWS credentials or TURNPOOL_BEDROCK_ENDPOINT (without either it exits 1
naming what it looked for); --emulator runs it against the bundled emulator instead. A taken
--port exits 1 naming it. SIGTERM stops it within the grace period (shutdown.graceMs).
`;

export const dispatcherCommand = stackCommand({
  name: 'dispatcher',
  summary: 'run only the HTTP dispatcher (scale out beside `turnpool worker` hosts)',
  help,
  flags: { port: true },
  defaultEmulator: 'never',
  async start(stack, flags, logger) {
    const dispatcher = await startDispatcher(await dispatcherOptionsFromStack(stack, flags, logger));
    return {
      parts: [{ name: 'dispatcher', close: () => dispatcher.close() }],
      banner: `turnpool dispatcher listening on ${dispatcher.url}\n`,
    };
  },
});
