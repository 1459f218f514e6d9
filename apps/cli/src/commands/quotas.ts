import { homedir } from 'node:os';
import { loadConfig } from '@turnpool/config';
import { createAdmission, type QuotaStatus } from '@turnpool/quota';
import type { CliIo } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { formatTable } from '../format-table.ts';
import { parseFlags, redisUrlFlag } from '../parse-flags.ts';
import { connectCliRedis, maskRedisUrl } from './connect-cli-redis.ts';

const help = `Usage: turnpool quotas [--json] [--config <file>] [--redis-url URL]

Shows the fleet's admission state per Bedrock quota key (<region>/<model or profile id>), read
from Redis (--redis-url, config redis.url, REDIS_URL, else 127.0.0.1:6379) under the config's
redis.keyPrefix: the same as GET /v1/quotas. Columns (see apps/cli/README.md):
  CONFIGURED    rpm/tpm/tokens per day from bedrock.quotas ("-" = not configured)
  LEARNED       concurrency learned from throttles ("-" = no throttle seen, unbounded)
  IN FLIGHT     calls admitted and not yet settled       RESERVED   tokens they reserved
  WAITING       turns in the key's line                  THROTTLES/1m  throttles in the last 60 s
  TODAY         tokens counted today (UTC) against the daily quota
  --json        the same as a JSON array (QuotaStatus objects, as GET /v1/quotas answers them)
`;

export const quotasCommand: Command = {
  name: 'quotas',
  summary: 'show per Bedrock quota key: budget, learned concurrency, in flight, waiting, throttles',
  help,
  async run(args, io) {
    const { values } = parseFlags(args, {
      config: { type: 'string' },
      'redis-url': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    });
    if (values.help) {
      io.out(help);
      return 0;
    }
    const flagUrl = redisUrlFlag(values['redis-url']);
    const homeDir = io.env['HOME'] || io.env['USERPROFILE'] || homedir();
    const { config } = await loadConfig({
      env: io.env,
      cwd: io.cwd,
      homeDir,
      ...(values.config === undefined ? {} : { configPath: values.config }),
    });
    const redisUrl = flagUrl ?? config.redis.url ?? 'redis://127.0.0.1:6379';
    const redis = await connectCliRedis(redisUrl);
    if (redis === undefined) {
      io.err(
        `turnpool quotas: Redis is unreachable at ${maskRedisUrl(redisUrl)}. Start Redis, or set --redis-url, redis.url in the config / REDIS_URL.\n`,
      );
      return 1;
    }
    try {
      const quotas = await createAdmission({ redis, keyPrefix: config.redis.keyPrefix }).status();
      if (values.json) io.out(`${JSON.stringify(quotas, null, 2)}\n`);
      else printTable(io, quotas);
      return 0;
    } finally {
      redis.disconnect();
    }
  },
};

function printTable(io: CliIo, quotas: QuotaStatus[]): void {
  if (quotas.length === 0) {
    io.out('No quota key has been used yet: worker hosts record one when they first call Bedrock for a model.\n');
    return;
  }
  const dash = (n: number | null | undefined) => (n === undefined || n === null ? '-' : String(n));
  const header = ['KEY', 'CONFIGURED (rpm/tpm/day)', 'LEARNED', 'IN FLIGHT', 'RESERVED', 'WAITING', 'THROTTLES/1m', 'TODAY'];
  const rows = quotas.map((q) => {
    const { rpm, tpm, tokensPerDay } = q.configured;
    const configured =
      rpm === undefined && tpm === undefined && tokensPerDay === undefined ? '-' : `${dash(rpm)}/${dash(tpm)}/${dash(tokensPerDay)}`;
    return [
      q.quotaKey,
      configured,
      dash(q.learnedConcurrency),
      String(q.inFlight),
      String(q.reservedTokens),
      String(q.waiting),
      String(q.throttlesLastMinute),
      String(q.tokensToday),
    ];
  });
  io.out(formatTable([header, ...rows]));
}
