import type { Command } from './command.ts';

/**
 * Every subcommand, loaded lazily so `turnpool --help` stays fast and a command's
 * dependencies load only when it runs. Add one line per command.
 */
export const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  config: {
    summary: 'show, check and edit the config file (get, set, validate, path)',
    load: () => import('./commands/config.ts').then((m) => m.configCommand),
  },
  emulator: {
    summary: 'run a local Bedrock emulator for offline development and tests',
    load: () => import('./commands/emulator.ts').then((m) => m.emulatorCommand),
  },
  credentials: {
    summary: 'show the AWS credential source, region and whether discovery is permitted',
    load: () => import('./commands/credentials.ts').then((m) => m.credentialsCommand),
  },
  models: {
    summary: 'list the Bedrock models (discovered + configured) or refresh the shared catalog',
    load: () => import('./commands/models.ts').then((m) => m.modelsCommand),
  },
  start: {
    summary: 'run the whole stack here: dispatcher + worker host (+ the emulator without AWS credentials)',
    load: () => import('./commands/start.ts').then((m) => m.startCommand),
  },
  dispatcher: {
    summary: 'run only the HTTP dispatcher (scale out beside `turnpool worker` hosts)',
    load: () => import('./commands/dispatcher.ts').then((m) => m.dispatcherCommand),
  },
  worker: {
    summary: 'run one worker host (scale out: one per machine, all on one Redis)',
    load: () => import('./commands/worker.ts').then((m) => m.workerCommand),
  },
  chat: {
    summary: 'send one prompt to the dispatcher and stream the answer',
    load: () => import('./commands/chat.ts').then((m) => m.chatCommand),
  },
  quotas: {
    summary: 'show per Bedrock quota key: budget, learned concurrency, in flight, waiting, throttles',
    load: () => import('./commands/quotas.ts').then((m) => m.quotasCommand),
  },
  turns: { summary: "follow a turn's events (turns tail <id>)", load: () => import('./commands/turns.ts').then((m) => m.turnsCommand) },
};
