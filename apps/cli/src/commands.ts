import type { Command } from './command.ts';

/**
 * Every subcommand, loaded lazily so `turnpool --help` stays fast and a command's
 * dependencies load only when it runs. Add one line per command.
 */
export const commands: Record<string, { summary: string; load: () => Promise<Command> }> = {
  emulator: { summary: 'run a local Bedrock emulator for offline development and tests', load: () => import('./commands/emulator.ts').then((m) => m.emulatorCommand) },
};
