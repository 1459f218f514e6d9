import type { Redis } from 'ioredis';
import { turnKeys } from '../turn-keys.ts';

/** TTFT samples kept per model and minute: enough for a p95, bounded whatever the rate. */
export const ttftSamplesPerMinute = 200;
/** A minute's figures live this long (the longest window, 60 minutes, plus one). */
export const modelMinuteTtlSeconds = 61 * 60;

/**
 * One ended turn into its model's current-minute figures: `turns|<model>` +1,
 * `outputTokens|<model>` + n in the minute's hash, and the TTFT sample at the head of the
 * minute's capped list. Both keys share the `{prefix}` tag (one slot); one script call per turn.
 *
 * KEYS[1] minute hash, KEYS[2] minute's TTFT list of the model
 * ARGV[1] modelId, ARGV[2] output tokens, ARGV[3] ttft ms or '', ARGV[4] cap, ARGV[5] ttl s
 */
const minuteLua = `
redis.call('HINCRBY', KEYS[1], 'turns|' .. ARGV[1], 1)
if tonumber(ARGV[2]) > 0 then redis.call('HINCRBY', KEYS[1], 'outputTokens|' .. ARGV[1], ARGV[2]) end
redis.call('EXPIRE', KEYS[1], ARGV[5])
if ARGV[3] ~= '' then
  redis.call('LPUSH', KEYS[2], ARGV[3])
  redis.call('LTRIM', KEYS[2], 0, tonumber(ARGV[4]) - 1)
  redis.call('EXPIRE', KEYS[2], ARGV[5])
end
return 1
`;
const commandName = 'turnpoolModelMinute';

/** The minute (epoch minutes) a time falls in. */
export function minuteOf(epochMs: number): number {
  return Math.floor(epochMs / 60_000);
}

/** What one ended turn adds to its model's minute. */
export interface ModelMinuteSample {
  modelId: string;
  /** When it ended, epoch ms. */
  at: number;
  ttftMs: number | null;
  outputTokens: number;
}

export async function recordModelMinute(redis: Redis, keyPrefix: string, s: ModelMinuteSample): Promise<void> {
  const keys = turnKeys(keyPrefix);
  const minute = minuteOf(s.at);
  const commands = redis as unknown as Record<string, (...args: string[]) => Promise<unknown>>;
  if (typeof commands[commandName] !== 'function') redis.defineCommand(commandName, { lua: minuteLua, numberOfKeys: 2 });
  await commands[commandName]!.call(
    redis,
    keys.liveMinute(minute),
    keys.liveTtft(minute, s.modelId),
    s.modelId,
    String(Math.max(0, Math.round(s.outputTokens))),
    s.ttftMs === null ? '' : String(Math.max(0, Math.round(s.ttftMs))),
    String(ttftSamplesPerMinute),
    String(modelMinuteTtlSeconds),
  );
}

/** One model's figures over a window of minutes. */
export interface ModelWindowFigures {
  modelId: string;
  /** Turns that ended in the window. */
  turns: number;
  outputTokens: number;
  /** TTFT samples (ms), ascending. */
  ttftMs: number[];
}

/**
 * The figures of every model with a turn ended in the last `windowMinutes` minutes (the current
 * minute included): one read of the window's hashes, then one of the TTFT lists they name.
 */
export async function readModelMinutes(
  redis: Redis,
  keyPrefix: string,
  windowMinutes: number,
  now = Date.now(),
): Promise<ModelWindowFigures[]> {
  const keys = turnKeys(keyPrefix);
  const last = minuteOf(now);
  const minutes = Array.from({ length: windowMinutes }, (_, i) => last - i);
  const hashes = await Promise.all(minutes.map((m) => redis.hgetall(keys.liveMinute(m))));
  const byModel = new Map<string, ModelWindowFigures>();
  const lists: Array<{ model: ModelWindowFigures; key: string }> = [];
  hashes.forEach((h, i) => {
    for (const [field, value] of Object.entries(h)) {
      const bar = field.indexOf('|');
      const kind = field.slice(0, bar);
      const modelId = field.slice(bar + 1);
      let model = byModel.get(modelId);
      if (!model) {
        model = { modelId, turns: 0, outputTokens: 0, ttftMs: [] };
        byModel.set(modelId, model);
      }
      if (kind === 'turns') {
        model.turns += Number(value) || 0;
        lists.push({ model, key: keys.liveTtft(minutes[i]!, modelId) });
      } else if (kind === 'outputTokens') model.outputTokens += Number(value) || 0;
    }
  });
  const samples = await Promise.all(lists.map((l) => redis.lrange(l.key, 0, -1)));
  samples.forEach((values, i) => {
    for (const v of values) {
      const n = Number(v);
      if (Number.isFinite(n)) lists[i]!.model.ttftMs.push(n);
    }
  });
  for (const model of byModel.values()) model.ttftMs.sort((a, b) => a - b);
  return [...byModel.values()].sort((a, b) => a.modelId.localeCompare(b.modelId));
}
