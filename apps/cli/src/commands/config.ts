import { homedir } from 'node:os';
import {
  ConfigError,
  configSourceLabels,
  formatConfigProblem,
  formatKeyPath,
  getValueAtPath,
  loadConfig,
  parseCliValue,
  parseKeyPath,
  redactConfigValue,
  resolveConfigPath,
  resolveConfigWritePath,
  setConfigValue,
  type ConfigLookupOptions,
} from '@turnpool/config';
import type { CliIo } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { parseFlags } from '../parse-flags.ts';
import { UsageError } from '../usage-error.ts';

const help = `Usage: turnpool config <subcommand> [--config <file>]

Subcommands:
  get [<key>]          print the effective value of a key (or everything) as JSON: file + env + defaults, secrets masked
  set <key> <value>    set a key in the config file, keeping its comments and formatting
  validate             check the config; exit 1 listing every problem
  path                 which config file is used, and which lookup step chose it

Keys: models.bedrockDiscovery.enabled, models.providers.amazon-bedrock.baseUrl,
      models.providers["amazon-bedrock"].models[0].contextWindow, ...
Values: JSON5 literals (true, 3600, ["anthropic","amazon"], {enabled: true}) or plain text;
        --string keeps the value as text ("true" stays a string).
Lookup: --config, TURNPOOL_CONFIG, ./turnpool.json5, ~/.turnpool/config.json5. See docs/configuration.md.
`;

interface ParsedArgs {
  positional: string[];
  configPath?: string;
  asString: boolean;
  help: boolean;
}

function parseArgs(args: string[]): ParsedArgs {
  const { values, positionals } = parseFlags(
    args,
    {
      config: { type: 'string' },
      string: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  return {
    positional: positionals,
    asString: values.string ?? false,
    help: values.help ?? false,
    ...(values.config === undefined ? {} : { configPath: values.config }),
  };
}

function lookupOptions(args: ParsedArgs, io: CliIo): ConfigLookupOptions {
  const home = io.env['HOME'] || io.env['USERPROFILE'] || homedir();
  return { env: io.env, cwd: io.cwd, homeDir: home, ...(args.configPath === undefined ? {} : { configPath: args.configPath }) };
}

function expectArgs(args: ParsedArgs, count: number, usage: string): void {
  if (args.positional.length - 1 !== count) throw new UsageError(`expected "${usage}"`);
}

async function runGet(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positional.length > 2) throw new UsageError('expected "get [<key>]"');
  const key = args.positional[1];
  const segments = key === undefined ? [] : parseKeyPath(key);
  const loaded = await loadConfig(lookupOptions(args, io));
  const found = getValueAtPath(loaded.config, segments);
  if (!found.found) {
    io.err(`turnpool config: ${formatKeyPath(segments)} is not set (and has no default)\n`);
    return 1;
  }
  io.out(`${JSON.stringify(redactConfigValue(found.value, segments), null, 2)}\n`);
  return 0;
}

async function runSet(args: ParsedArgs, io: CliIo): Promise<number> {
  expectArgs(args, 2, 'set <key> <value>');
  const [, keyPath, raw] = args.positional as [string, string, string];
  const value = args.asString ? raw : parseCliValue(raw);
  const segments = parseKeyPath(keyPath);
  const result = await setConfigValue({ ...lookupOptions(args, io), keyPath, value });
  io.out(
    `${result.created ? 'created' : 'updated'} ${result.path}: ${formatKeyPath(segments)} = ${JSON.stringify(redactConfigValue(value, segments))}\n`,
  );
  // Only for the warning below: the value is written, and a config that does not load
  // (another key is invalid) is reported by the commands that use it.
  const effective = await loadConfig({ ...lookupOptions(args, io), configPath: result.path }).catch(() => undefined);
  if (effective && !getValueAtPath(effective.config, segments).found) {
    io.err(`note: turnpool does not read ${formatKeyPath(segments)} (kept in the file for OpenClaw)\n`);
  }
  return 0;
}

async function runValidate(args: ParsedArgs, io: CliIo): Promise<number> {
  expectArgs(args, 0, 'validate');
  const loaded = await loadConfig(lookupOptions(args, io));
  for (const w of loaded.warnings) io.err(`warning: ${w}\n`);
  io.out(`ok: ${loaded.path ?? 'no config file (built-in defaults)'}\n`);
  return 0;
}

async function runPath(args: ParsedArgs, io: CliIo): Promise<number> {
  expectArgs(args, 0, 'path');
  const opts = lookupOptions(args, io);
  const found = await resolveConfigPath(opts);
  const write = await resolveConfigWritePath(opts);
  if (found.path === null) {
    io.out(`none (${configSourceLabels.defaults}; looked for ${found.candidates.join(', ')})\n`);
  } else {
    io.out(`${found.path} (from ${configSourceLabels[found.from]})\n`);
  }
  if (write.path !== found.path) io.out(`config set writes to ${write.path}\n`);
  return 0;
}

const subcommands: Record<string, (args: ParsedArgs, io: CliIo) => Promise<number>> = {
  get: runGet,
  set: runSet,
  validate: runValidate,
  path: runPath,
};

export const configCommand: Command = {
  name: 'config',
  summary: 'show, check and edit the config file (get, set, validate, path)',
  help,
  async run(argv, io) {
    const args = parseArgs(argv);
    const sub = args.positional[0];
    if (args.help) {
      io.out(help);
      return 0;
    }
    if (sub === undefined) throw new UsageError('missing subcommand: get, set, validate or path');
    const handler = Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
    if (handler === undefined) throw new UsageError(`unknown subcommand "${sub.slice(0, 40)}"`);
    if (args.asString && sub !== 'set') throw new UsageError('--string is an option of "config set" only');
    try {
      return await handler(args, io);
    } catch (err) {
      if (err instanceof ConfigError) {
        io.err(
          `turnpool config ${sub}: ${err.problems.length > 1 ? `${err.message.split('\n')[0]}\n${err.problems.map((p) => `  - ${formatConfigProblem(p)}`).join('\n')}` : err.message}\n`,
        );
        return 1;
      }
      throw err;
    }
  },
};
