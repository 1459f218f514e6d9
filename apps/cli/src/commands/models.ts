import { DiscoveryError, createCatalog } from '@turnpool/discovery';
import type { Catalog, CatalogEntry, CatalogSnapshot, FilteredModel } from '@turnpool/protocol';
import type { Cluster, Redis } from 'ioredis';
import type { CliIo } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { formatTable } from '../format-table.ts';
import { parseFlags } from '../parse-flags.ts';
import { UsageError } from '../usage-error.ts';
import { connectCliRedis, maskRedisUrl } from './connect-cli-redis.ts';
import { loadBedrockContext, type BedrockContext } from '../bedrock-context.ts';
import { noCredentialsHelp } from './credentials.ts';

const help = `Usage: turnpool models list [--json] [--provider <name>] [--all] [--config <file>]
       turnpool models refresh [--config <file>]

list      the Bedrock models turnpool can run: discovered (ListFoundationModels + inference
          profiles, shared Redis cache) merged with models.providers["amazon-bedrock"].models
          --json             a JSON array (id, name, provider, contextWindow, maxTokens, reasoning,
                             input, limitsKnown, available, ...)
          --provider <name>  only this provider (case-insensitive; repeatable)
          --all              also the models discovery left out, with the reason
refresh   ask Bedrock now and replace the shared cached catalog; also clears every model marked
          unavailable at run time (AccessDenied), even when Bedrock cannot be asked
Limits marked * are defaults (models.bedrockDiscovery.defaultContextWindow / defaultMaxTokens),
not known for that model. See docs/models.md.
`;

interface ListArgs {
  json: boolean;
  all: boolean;
  providers: string[];
}

export const modelsCommand: Command = {
  name: 'models',
  summary: 'list the Bedrock models (discovered + configured) or refresh the shared catalog',
  help,
  async run(args, io) {
    const { values, positionals } = parseFlags(
      args,
      {
        config: { type: 'string' },
        json: { type: 'boolean' },
        all: { type: 'boolean' },
        provider: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      true,
    );
    if (values.help) {
      io.out(help);
      return 0;
    }
    const [sub, ...extra] = positionals;
    if (sub === undefined) throw new UsageError('missing subcommand: list or refresh');
    if (sub !== 'list' && sub !== 'refresh') throw new UsageError(`unknown subcommand "${sub.slice(0, 40)}"`);
    if (extra.length > 0) throw new UsageError(`unexpected argument "${String(extra[0]).slice(0, 40)}"`);
    if (sub === 'refresh') {
      const listOnly = (['json', 'all', 'provider'] as const).find((k) => values[k] !== undefined);
      if (listOnly !== undefined) throw new UsageError(`--${listOnly} is an option of "models list" only`);
    }
    const listArgs: ListArgs = {
      json: values.json ?? false,
      all: values.all ?? false,
      providers: (values.provider ?? []).map((p) => p.toLowerCase()),
    };
    const configPath = values.config;
    const ctx = await loadBedrockContext(io, configPath);
    let redis: Redis | Cluster | undefined;
    let catalog: Catalog | undefined;
    try {
      const { config } = ctx.loaded;
      const manual = config.models.providers['amazon-bedrock']?.models ?? [];
      if (!ctx.credentials.present && config.models.bedrockDiscovery.enabled !== false && manual.length === 0) {
        io.err(`turnpool models: ${noCredentialsHelp}\n`);
        return 1;
      }
      const redisUrl = config.redis.url ?? 'redis://127.0.0.1:6379';
      redis = await connectCliRedis(redisUrl);
      if (redis === undefined) {
        io.err(
          `turnpool models: Redis is unreachable at ${maskRedisUrl(redisUrl)}. Start Redis, or set redis.url in the config / REDIS_URL.\n`,
        );
        return 1;
      }
      catalog = createCatalog({
        redis,
        control: (await ctx.clients()).control,
        keyPrefix: config.redis.keyPrefix,
        region: ctx.region.region,
        credentialsIdentity: ctx.credentials.identityHash,
        credentialsPresent: ctx.credentials.present,
        discovery: config.models.bedrockDiscovery,
        provider: { models: manual },
      });
      const snap = sub === 'refresh' ? await catalog.refresh() : await catalog.list({ includeFiltered: listArgs.all });
      if (snap.warning) io.err(`warning: ${snap.warning}\n`);
      if (sub === 'refresh') {
        io.out(
          `${snap.stale ? 'refresh failed, the stale catalog stays' : 'refreshed'}: ${snap.entries.length} models for ${ctx.region.region} (fetched ${new Date(snap.fetchedAt).toISOString()})\n`,
        );
        return snap.stale ? 1 : 0;
      }
      printList(io, snap, listArgs, ctx);
      return 0;
    } catch (err) {
      if (err instanceof DiscoveryError) {
        io.err(`turnpool models: ${err.code}: ${err.message}\n`);
        return 1;
      }
      throw err;
    } finally {
      await catalog?.idle();
      redis?.disconnect();
      ctx.close();
    }
  },
};

function printList(io: CliIo, snap: CatalogSnapshot, args: ListArgs, ctx: BedrockContext): void {
  const keep = (provider: string) => args.providers.length === 0 || args.providers.includes(provider.toLowerCase());
  const entries = snap.entries.filter((e) => keep(e.provider));
  const filtered = (snap.filtered ?? []).filter((f) => keep(f.provider));
  if (args.json) {
    const rows: object[] = entries.map(toJson);
    if (args.all)
      rows.push(
        ...filtered.map((f) => ({ id: f.id, name: f.name, provider: f.provider, available: false, filtered: true, reason: f.reason })),
      );
    io.out(`${JSON.stringify(rows, null, 2)}\n`);
    return;
  }
  io.out(
    `Bedrock models for ${ctx.region.region} (${ctx.credentials.source}; catalog fetched ${new Date(snap.fetchedAt).toISOString()}${snap.stale ? ', STALE' : ''})\n\n`,
  );
  const header = ['ID', 'NAME', 'PROVIDER', 'CONTEXT', 'MAX OUT', 'REASONING', 'INPUT', 'LIMITS', 'AVAILABLE'];
  const body = entries.map((e) => [
    e.id,
    e.name,
    e.provider,
    `${e.contextWindow}${e.limitsKnown ? '' : '*'}`,
    `${e.maxTokens}${e.limitsKnown ? '' : '*'}`,
    e.reasoning ? 'yes' : 'no',
    e.input.join(','),
    e.limitsKnown ? 'known' : 'default*',
    e.available
      ? 'yes'
      : `no: ${e.unavailableReason ?? 'unavailable'}${e.unavailableUntil ? ` (until ${new Date(e.unavailableUntil).toISOString()}; \`turnpool models refresh\` clears it)` : ''}`,
  ]);
  io.out(formatTable([header, ...body]));
  if (entries.length === 0) io.out('(no models)\n');
  if (entries.some((e) => !e.limitsKnown)) {
    io.out(
      '\n* defaulted limits (models.bedrockDiscovery.defaultContextWindow / defaultMaxTokens): set contextWindow and maxTokens for that model in models.providers["amazon-bedrock"].models if you know them.\n',
    );
  }
  if (args.all) {
    io.out(`\nLeft out by discovery (${filtered.length}):\n`);
    io.out(formatTable([['ID', 'PROVIDER', 'REASON'], ...filtered.map((f: FilteredModel) => [f.id, f.provider, f.reason])]));
  }
}

function toJson(e: CatalogEntry): object {
  return {
    id: e.id,
    name: e.name,
    provider: e.provider,
    contextWindow: e.contextWindow,
    maxTokens: e.maxTokens,
    reasoning: e.reasoning,
    input: e.input,
    limitsKnown: e.limitsKnown,
    available: e.available,
    ...(e.unavailableReason ? { unavailableReason: e.unavailableReason } : {}),
    ...(e.unavailableUntil ? { unavailableUntil: new Date(e.unavailableUntil).toISOString() } : {}),
    source: e.source,
    baseModelId: e.baseModelId,
    ...(e.profile ? { profile: e.profile } : {}),
    supportsPromptCache: e.supportsPromptCache,
    ...(e.lifecycle ? { lifecycle: e.lifecycle } : {}),
    ...(e.cost ? { cost: e.cost } : {}),
  };
}
