import type { Command } from './command.ts';

/**
 * Every subcommand, loaded lazily so `turnpool --help` stays fast and a command's
 * dependencies load only when it runs. Add one line per command.
 */
export const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  config: { summary: 'show, check and edit the config file (get, set, validate, path)', load: () => import('./commands/config.ts').then((m) => m.configCommand) },
  emulator: { summary: 'run a local Bedrock emulator for offline development and tests', load: () => import('./commands/emulator.ts').then((m) => m.emulatorCommand) },
  credentials: { summary: 'show the AWS credential source, region and whether discovery is permitted', load: () => import('./commands/credentials.ts').then((m) => m.credentialsCommand) },
  models: { summary: 'list the Bedrock models (discovered + configured) or refresh the shared catalog', load: () => import('./commands/models.ts').then((m) => m.modelsCommand) },
};
