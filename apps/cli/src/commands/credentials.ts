import { ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';
import type { BedrockClients, CredentialInfo, RegionRule } from '@turnpool/credentials';
import { loadBedrockContext, type BedrockContext } from '../bedrock-context.ts';
import type { Command } from '../command.ts';
import { parseFlags } from '../parse-flags.ts';

/** What to do when no credentials were found. */
export const noCredentialsHelp =
  'no AWS credentials found. Set AWS_BEARER_TOKEN_BEDROCK (Bedrock API key), or ' +
  'AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY, or AWS_PROFILE; on EC2/ECS attach a role. For offline use run ' +
  '`turnpool emulator` and set TURNPOOL_BEDROCK_ENDPOINT. See docs/models.md.';

const ruleLabels: Record<RegionRule, string> = {
  config: 'models.bedrockDiscovery.region in the config file',
  AWS_REGION: 'AWS_REGION',
  AWS_DEFAULT_REGION: 'AWS_DEFAULT_REGION',
  profile: 'the region of the AWS profile in the shared config file',
  default: 'the default, nothing else set it',
};

const help = `Usage: turnpool credentials [--json] [--config <file>]

Shows which AWS credential source turnpool uses for Amazon Bedrock, the region and the rule
that chose it, the endpoint, a hash of the (non-secret) identity, and whether the credentials
may call bedrock:ListFoundationModels (one real call). Never prints a secret.
  --json   the same as one JSON object (source, detail, region, regionFrom, endpoint, ...)
Exit 0 when credentials are present and ListFoundationModels is permitted, else 1.
`;

/** What `turnpool credentials` finds; printed as rows or, with --json, as is. Holds no secret. */
export interface CredentialsReport {
  /** True when credentials are present and ListFoundationModels is permitted (exit 0). */
  ok: boolean;
  source: CredentialInfo['source'];
  present: boolean;
  /** How the source was found, e.g. `AWS_ACCESS_KEY_ID AKIA…0001 + AWS_SECRET_ACCESS_KEY`; no secret. */
  detail: string;
  profile?: string;
  region: string;
  regionFrom: RegionRule;
  /** The endpoints the clients call; `awsDefault` when they are the SDK's regional ones. */
  endpoint: { runtime: string; control: string; awsDefault: boolean };
  identityHash: string;
  /** The config file read, null for built-in defaults. */
  config: string | null;
  discovery: { on: boolean; reason: string };
  /** The one real ListFoundationModels call; not made without credentials. */
  listFoundationModels: { checked: boolean; permitted: boolean; text: string };
  notes: string[];
}

export const credentialsCommand: Command = {
  name: 'credentials',
  summary: 'show the AWS credential source, region and whether discovery is permitted',
  help,
  async run(args, io) {
    const { values } = parseFlags(args, { config: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } });
    if (values.help) {
      io.out(help);
      return 0;
    }
    const ctx = await loadBedrockContext(io, values.config);
    try {
      const report = await buildCredentialsReport(ctx);
      io.out(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatCredentialsReport(report));
      return report.ok ? 0 : 1;
    } finally {
      ctx.close();
    }
  },
};

async function buildCredentialsReport(ctx: BedrockContext): Promise<CredentialsReport> {
  const { credentials: c, region } = ctx;
  const { runtime, control } = ctx.endpoints;
  const check = c.present
    ? { checked: true, ...(await checkListFoundationModels(await ctx.clients())) }
    : { checked: false, ok: false, text: 'not checked (no credentials)' };
  return {
    ok: c.present && check.ok,
    source: c.source,
    present: c.present,
    detail: c.present ? c.detail : noCredentialsHelp,
    ...(c.profile === undefined ? {} : { profile: c.profile }),
    region: region.region,
    regionFrom: region.from,
    endpoint: {
      runtime: runtime ?? `https://bedrock-runtime.${region.region}.amazonaws.com`,
      control: control ?? `https://bedrock.${region.region}.amazonaws.com`,
      awsDefault: runtime === undefined,
    },
    identityHash: c.identityHash,
    config: ctx.loaded.path ?? null,
    discovery: discoveryState(ctx.loaded.config.models.bedrockDiscovery.enabled, c.present),
    listFoundationModels: { checked: check.checked, permitted: check.ok, text: check.text },
    notes: [...c.notes],
  };
}

function formatCredentialsReport(r: CredentialsReport): string {
  const rows: [string, string][] = [
    ['source', r.present ? `${r.source} (${r.detail})` : `none: ${r.detail}`],
    ['region', `${r.region} (from ${ruleLabels[r.regionFrom]})`],
    [
      'endpoint',
      r.endpoint.awsDefault
        ? `AWS default for ${r.region} (${new URL(r.endpoint.runtime).host})`
        : `${r.endpoint.runtime}${r.endpoint.control !== r.endpoint.runtime ? ` (control plane ${r.endpoint.control})` : ''}`,
    ],
    ['identity hash', r.identityHash],
    ['config', r.config ?? 'none (defaults)'],
    ['discovery', `${r.discovery.on ? 'on' : 'off'} (${r.discovery.reason})`],
    ['ListFoundationModels', r.listFoundationModels.text],
    ...r.notes.map((note): [string, string] => ['note', note]),
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${`${k}:`.padEnd(width + 2)}${v}\n`).join('');
}

function discoveryState(enabled: boolean | undefined, present: boolean): CredentialsReport['discovery'] {
  if (enabled === true) return { on: true, reason: 'models.bedrockDiscovery.enabled is true' };
  if (enabled === false) return { on: false, reason: 'models.bedrockDiscovery.enabled is false' };
  return present
    ? { on: true, reason: 'enabled unset and credentials are present' }
    : { on: false, reason: 'enabled unset and no credentials were found' };
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
    if (name === 'CredentialsProviderError')
      return { ok: false, text: `no: the credentials could not be loaded (${(err as Error).message.slice(0, 200)})` };
    return {
      ok: false,
      text: `unknown: the call failed (${typeof name === 'string' ? name : 'Error'}: ${(err as Error).message?.slice(0, 200) ?? ''}); check the endpoint and network`,
    };
  }
}
