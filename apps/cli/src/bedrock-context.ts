import { homedir } from 'node:os';
import { loadConfig, type LoadedConfig } from '@turnpool/config';
import {
  bedrockEndpoints,
  detectCredentials,
  resolveRegion,
  type BedrockClients,
  type CredentialInfo,
  type RegionRule,
} from '@turnpool/credentials';
import type { CliIo } from './cli-io.ts';

/** Everything a Bedrock-facing command needs, resolved once from config + env. */
export interface BedrockContext {
  loaded: LoadedConfig;
  credentials: CredentialInfo;
  region: { region: string; from: RegionRule };
  /** The endpoints the clients call (empty = the SDK's regional ones); checked when the context loads. */
  endpoints: { runtime?: string; control?: string };
  /**
   * Both clients, built on the first call and kept (building them touches no network; credentials
   * load on the first request). Importing them loads the AWS SDK, the largest part of a start: a
   * command that never calls Bedrock from this process (`turnpool worker`: its threads build their
   * own) never pays for it.
   */
  clients(): Promise<BedrockClients>;
  close(): void;
}

/**
 * Loads config, detects credentials, resolves the region and checks the endpoint (one place, as
 * the worker does). `endpoint` overrides the config's `baseUrl` (the stack's in-process emulator).
 */
export async function loadBedrockContext(
  io: CliIo,
  configPath: string | undefined,
  maxAttempts = 1,
  endpoint?: string,
): Promise<BedrockContext> {
  const homeDir = io.env['HOME'] || io.env['USERPROFILE'] || homedir();
  const loaded = await loadConfig({ env: io.env, cwd: io.cwd, homeDir, ...(configPath === undefined ? {} : { configPath }) });
  const credentials = await detectCredentials({ env: io.env, homeDir });
  const configRegion = loaded.config.models.bedrockDiscovery.region;
  const region = resolveRegion({ env: io.env, homeDir, ...(configRegion === undefined ? {} : { configRegion }) });
  const baseUrl = endpoint ?? loaded.config.models.providers['amazon-bedrock']?.baseUrl;
  // A bad endpoint URL fails here, at start, not at the first call.
  const endpoints = bedrockEndpoints(baseUrl, io.env);
  let built: BedrockClients | undefined;
  let building: Promise<BedrockClients> | undefined;
  const clients = () =>
    (building ??= import('@turnpool/credentials/clients').then(({ createBedrockClients }) => {
      built = createBedrockClients({
        region: region.region,
        credentials,
        env: io.env,
        maxAttempts,
        ...(baseUrl === undefined ? {} : { endpoint: baseUrl }),
      });
      return built;
    }));
  return {
    loaded,
    credentials,
    region,
    endpoints,
    clients,
    close: () => {
      built?.control.destroy();
      built?.runtime.destroy();
    },
  };
}
