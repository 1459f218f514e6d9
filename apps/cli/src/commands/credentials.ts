import { homedir } from 'node:os';
import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import { loadConfig, type LoadedConfig } from '@turnpool/config';
import {
  createBedrockClients, detectCredentials, resolveRegion, type BedrockClients, type CredentialInfo, type RegionRule,
} from '@turnpool/credentials';
import type { CliIo } from '../cli-io.ts';
import type { Command } from '../command.ts';

/** Everything a Bedrock-facing command needs, resolved once from config + env. */
export interface BedrockContext {
  loaded: LoadedConfig;
  credentials: CredentialInfo;
  region: { region: string; from: RegionRule };
  /** Both clients; building them touches no network (credentials load on the first call). */
  clients: BedrockClients;
  close(): void;
}

export class UsageError extends Error {
  readonly code = 'usage';
}

/** `--config <file>` / `--config=<file>` out of `args`; the rest is returned. */
export function takeConfigOption(args: string[]): { configPath?: string; rest: string[] } {
  const rest: string[] = [];
  let configPath: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--config') {
      const next = args[i + 1];
      if (next === undefined) throw new UsageError('--config needs a file path');
      configPath = next;
      i++;
    } else if (a.startsWith('--config=')) configPath = a.slice('--config='.length);
    else rest.push(a);
  }
  return { ...(configPath === undefined ? {} : { configPath }), rest };
}

/** Loads config, detects credentials, resolves the region and builds both clients (one place, as the worker does). */
export async function loadBedrockContext(io: CliIo, configPath: string | undefined, maxAttempts = 1): Promise<BedrockContext> {
  const homeDir = io.env['HOME'] || io.env['USERPROFILE'] || homedir();
  const loaded = await loadConfig({ env: io.env, cwd: io.cwd, homeDir, ...(configPath === undefined ? {} : { configPath }) });
  const credentials = await detectCredentials({ env: io.env, homeDir });
  const configRegion = loaded.config.models.bedrockDiscovery.region;
  const region = resolveRegion({ env: io.env, homeDir, ...(configRegion === undefined ? {} : { configRegion }) });
  const baseUrl = loaded.config.models.providers['amazon-bedrock']?.baseUrl;
  const clients = createBedrockClients({ region: region.region, credentials, env: io.env, maxAttempts,
    ...(baseUrl === undefined ? {} : { endpoint: baseUrl }) });
  return { loaded, credentials, region, clients, close: () => { clients.control.destroy(); clients.runtime.destroy(); } };
}

/** What to do when no credentials were found. */
export const noCredentialsHelp = 'no AWS credentials found. Set AWS_BEARER_TOKEN_BEDROCK (Bedrock API key), or '
  + 'AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, or AWS_PROFILE; on EC2/ECS attach a role. For offline use run '
  + '`turnpool emulator` and set TURNPOOL_BEDROCK_ENDPOINT. See docs/models.md.';

const ruleLabels: Record<RegionRule, string> = {
  config: 'models.bedrockDiscovery.region in the config file',
  AWS_REGION: 'AWS_REGION',
  AWS_DEFAULT_REGION: 'AWS_DEFAULT_REGION',
  profile: 'the region of the AWS profile in the shared config file',
  default: 'the default, nothing else set it',
};

const help = `Usage: turnpool credentials [--config <file>]

Shows which AWS credential source turnpool uses for Bedrock, the region and the rule that
chose it, the endpoint, a hash of the (non-secret) identity, and whether the credentials may
call bedrock:ListFoundationModels (one real call). Never prints a secret.
Exit 0 when credentials are present and ListFoundationModels is permitted, else 1.
`;

export const credentialsCommand: Command = {
  name: 'credentials',
  summary: 'show the AWS credential source, region and whether discovery is permitted',
  async run(args, io) {
    const { configPath, rest } = takeConfigOption(args);
    if (rest.includes('--help') || rest.includes('-h')) { io.out(help); return 0; }
    if (rest.length > 0) { io.err(`turnpool credentials: unknown argument ${rest[0] ?? ''}\n${help}`); return 2; }
    const ctx = await loadBedrockContext(io, configPath);
    try {
      const { credentials: c, region } = ctx;
      const rows: [string, string][] = [
        ['source', c.present ? `${c.source} (${c.detail})` : `none: ${noCredentialsHelp}`],
        ['region', `${region.region} (from ${ruleLabels[region.from]})`],
        ['endpoint', ctx.clients.endpoints.runtime === undefined
          ? `AWS default for ${region.region} (bedrock-runtime.${region.region}.amazonaws.com)`
          : `${ctx.clients.endpoints.runtime}${ctx.clients.endpoints.control !== ctx.clients.endpoints.runtime ? ` (control plane ${ctx.clients.endpoints.control ?? ''})` : ''}`],
        ['identity hash', c.identityHash],
        ['config', ctx.loaded.path ?? 'none (defaults)'],
        ['discovery', discoveryState(ctx.loaded.config.models.bedrockDiscovery.enabled, c.present)],
      ];
      let ok = c.present;
      if (c.present) {
        const check = await checkListFoundationModels(ctx.clients);
        rows.push(['ListFoundationModels', check.text]);
        ok = check.ok;
      } else {
        rows.push(['ListFoundationModels', 'not checked (no credentials)']);
      }
      for (const note of c.notes) rows.push(['note', note]);
      const width = Math.max(...rows.map(([k]) => k.length));
      io.out(rows.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v}\n`).join(''));
      return ok ? 0 : 1;
    } finally {
      ctx.close();
    }
  },
};

function discoveryState(enabled: boolean | undefined, present: boolean): string {
  if (enabled === true) return 'on (models.bedrockDiscovery.enabled is true)';
  if (enabled === false) return 'off (models.bedrockDiscovery.enabled is false)';
  return present ? 'on (enabled unset and credentials are present)' : 'off (enabled unset and no credentials were found)';
}

/** One real ListFoundationModels call: permitted or not, and why. */
export async function checkListFoundationModels(clients: BedrockClients): Promise<{ ok: boolean; text: string }> {
  try {
    const res = await clients.control.send(new ListFoundationModelsCommand({}), { abortSignal: AbortSignal.timeout(15_000) });
    return { ok: true, text: `yes (${res.modelSummaries?.length ?? 0} foundation models visible)` };
  } catch (err) {
    const name = (err as { name?: unknown }).name;
    if (name === 'AccessDeniedException') return { ok: false, text: 'no: missing bedrock:ListFoundationModels (AccessDeniedException)' };
    if (name === 'UnrecognizedClientException' || name === 'InvalidSignatureException' || name === 'ExpiredTokenException') {
      return { ok: false, text: `no: the credentials were rejected (${name}); check that they are current and belong to this account` };
    }
    if (name === 'CredentialsProviderError') return { ok: false, text: `no: the credentials could not be loaded (${(err as Error).message.slice(0, 200)})` };
    return { ok: false, text: `unknown: the call failed (${typeof name === 'string' ? name : 'Error'}: ${(err as Error).message?.slice(0, 200) ?? ''}); check the endpoint and network` };
  }
}
