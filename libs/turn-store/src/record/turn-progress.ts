import type { Redis } from 'ioredis';
import type { TurnEventBody } from '@turnpool/protocol';
import { recordModelMinute } from '../live/model-minutes.ts';
import { turnKeys } from '../turn-keys.ts';

/**
 * Writes fields into a turn's record only while the record exists (it has a modelId): a record
 * that expired is not brought back without a TTL. One key, so one Cluster slot; two commands
 * inside the script. Returns the record's modelId before the write (the fields written never
 * change it at the end), or null without a record.
 */
const progressLua = `
local model = redis.call('HGET', KEYS[1], 'modelId')
if not model then return false end
redis.call('HSET', KEYS[1], unpack(ARGV))
return model
`;
const commandName = 'turnpoolTurnProgress';

function runProgress(redis: Redis, key: string, fields: Record<string, string>): Promise<string | null> {
  const commands = redis as unknown as Record<string, (key: string, ...args: string[]) => Promise<string | null>>;
  if (typeof commands[commandName] !== 'function') redis.defineCommand(commandName, { lua: progressLua, numberOfKeys: 1 });
  return commands[commandName]!.call(redis, key, ...Object.entries(fields).flat());
}

/** What an attempt's start writes: who runs it, since when, on which model (a fallback it moved to). */
export interface TurnStartFields {
  hostId: string;
  startedAt: number;
  ref: string;
  modelId: string;
}

/**
 * The console's per-turn summary, written into the turn's record (`turnKeys().record`) once per
 * attempt start, once at the first token and once at the end — never per chunk. A new attempt
 * clears the previous attempt's time to first token.
 */
export function recordTurnStart(redis: Redis, keyPrefix: string, turnId: string, f: TurnStartFields): Promise<unknown> {
  return runProgress(redis, turnKeys(keyPrefix).record(turnId), {
    hostId: f.hostId,
    startedAt: String(f.startedAt),
    ref: f.ref,
    modelId: f.modelId,
    ttftMs: '',
  });
}

/** The attempt's time to its first content event, ms. */
export function recordFirstToken(redis: Redis, keyPrefix: string, turnId: string, ttftMs: number): Promise<unknown> {
  return runProgress(redis, turnKeys(keyPrefix).record(turnId), { ttftMs: String(Math.max(0, Math.round(ttftMs))) });
}

/** The record fields a terminal event sets; undefined for any other event. */
export function endFieldsOf(body: TurnEventBody, endedAt: number): Record<string, string> | undefined {
  if (body.type === 'turn-end') {
    return {
      endState: 'succeeded',
      endedAt: String(endedAt),
      errorCode: '',
      inputTokens: String(body.usage.inputTokens),
      outputTokens: String(body.usage.outputTokens),
      ...(body.timings.ttftMs === null ? {} : { ttftMs: String(body.timings.ttftMs) }),
    };
  }
  if (body.type === 'turn-error') return { endState: 'failed', endedAt: String(endedAt), errorCode: body.code };
  if (body.type === 'turn-cancelled') return { endState: 'cancelled', endedAt: String(endedAt), errorCode: 'cancelled' };
  return undefined;
}

/**
 * After a terminal event was written: its end into the turn's record, then the turn into its
 * model's current-minute figures (`GET /v1/models/live`). Two script calls per turn, on two keys
 * that may sit in different Cluster slots. Does nothing for a non-terminal event.
 */
export async function recordTurnEnd(
  redis: Redis,
  keyPrefix: string,
  turnId: string,
  body: TurnEventBody,
  endedAt = Date.now(),
): Promise<void> {
  const fields = endFieldsOf(body, endedAt);
  if (!fields) return;
  const modelId = await runProgress(redis, turnKeys(keyPrefix).record(turnId), fields);
  if (typeof modelId !== 'string' || modelId === '') return;
  await recordModelMinute(redis, keyPrefix, {
    modelId,
    at: endedAt,
    ttftMs: body.type === 'turn-end' ? body.timings.ttftMs : null,
    outputTokens: body.type === 'turn-end' ? body.usage.outputTokens : 0,
  });
}
