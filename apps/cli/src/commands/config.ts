import { homedir } from 'node:os';
import {
  ConfigError, configSourceLabels, formatConfigProblem, formatKeyPath, getValueAtPath, loadConfig, parseCliValue,
  parseKeyPath, redactConfigValue, resolveConfigPath, resolveConfigWritePath, setConfigValue, type ConfigLookupOptions,
} from '@turnpool/config';
import type { CliIo } from '../cli-io.ts';
import type { Command } from '../command.ts';

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

class UsageError extends Error {}

function parseArgs(args: string[]): ParsedArgs {
  const parsed: ParsedArgs = { positional: [], asString: false, help: false };
  for (let i = 0; i < args.length; i += 1) {
    const a = args[i] as string;
    if (a === '--') { parsed.positional.push(...args.slice(i + 1)); break; }
    if (a === '--help' || a === '-h') parsed.help = true;
    else if (a === '--string') parsed.asString = true;
    else if (a === '--config') {
      const next = args[i + 1];
      if (next === undefined) throw new UsageError('--config needs a file path');
      parsed.configPath = next;
      i += 1;
    } else if (a.startsWith('--config=')) parsed.configPath = a.slice('--config='.length);
    else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else parsed.positional.push(a);
  }
  return parsed;
}

function lookupOptions(args: ParsedArgs, io: CliIo): ConfigLookupOptions {
  const home = io.env['HOME'] || io.env['USERPROFILE'] || homedir();
  return { env: io.env, cwd: io.cwd, homeDir: home, ...(args.configPath === undefined ? {} : { configPath: args.configPath }) };
}

function expectArgs(args: ParsedArgs, count: number, usage: string): void {
  if (args.positional.length - 1 !== count) throw new UsageError(`usage: turnpool config ${usage}`);
}

async function runGet(args: ParsedArgs, io: CliIo): Promise<number> {
  if (args.positional.length > 2) throw new UsageError('usage: turnpool config get [<key>]');
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
  io.out(`${result.created ? 'created' : 'updated'} ${result.path}: ${formatKeyPath(segments)} = ${JSON.stringify(redactConfigValue(value, segments))}\n`);
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
  get: runGet, set: runSet, validate: runValidate, path: runPath,
};

export const configCommand: Command = {
  name: 'config',
  summary: 'show, check and edit the config file (get, set, validate, path)',
  async run(argv, io) {
    let args: ParsedArgs;
    try {
      args = parseArgs(argv);
    } catch (err) {
      io.err(`turnpool config: ${(err as Error).message}\n\n${help}`);
      return 2;
    }
    const sub = args.positional[0];
    if (args.help || sub === undefined) {
      io.out(help);
      return sub === undefined && !args.help ? 2 : 0;
    }
    const handler = Object.hasOwn(subcommands, sub) ? subcommands[sub] : undefined;
    if (handler === undefined) {
      io.err(`turnpool config: unknown subcommand "${sub.slice(0, 40)}"\n\n${help}`);
      return 2;
    }
    try {
      return await handler(args, io);
    } catch (err) {
      if (err instanceof UsageError) {
        io.err(`turnpool config: ${err.message}\n`);
        return 2;
      }
      if (err instanceof ConfigError) {
        io.err(`turnpool config ${sub}: ${err.problems.length > 1 ? `${err.message.split('\n')[0]}\n${err.problems.map((p) => `  - ${formatConfigProblem(p)}`).join('\n')}` : err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
