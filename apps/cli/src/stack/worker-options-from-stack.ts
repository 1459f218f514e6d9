import type { WorkerHostOptions } from '@turnpool/worker';
import type { StackContext } from './open-stack.ts';
import { workerOptionsFromConfig } from './worker-options-from-config.ts';

/**
 * Worker host options for a stack command: the config's sections, plus what the stack decided —
 * the Bedrock endpoint (the in-process emulator's URL in emulator mode), the env credentials are
 * read from, and the shared catalog (for run-time unavailable marks).
 */
export function workerOptionsFromStack(stack: StackContext): WorkerHostOptions {
  return {
    ...workerOptionsFromConfig(stack.config, stack.redisUrl),
    bedrockEndpoint: stack.bedrockEndpoint,
    env: stack.bedrockEnv,
    catalog: stack.catalog,
  };
}
