import type { Redis } from 'ioredis';

/**
 * One batch of turn events in one round trip, atomically:
 * XADD each new event to the turn's stream under the explicit entry id `<seq>-0`, PUBLISH the
 * new ones as one JSON array to the turn's channel, and EXPIRE the stream when the batch
 * holds the terminal event.
 *
 * KEYS[1]  the turn's stream
 * ARGV[1]  the turn's channel (a channel, not a key; it carries the same hash tag)
 * ARGV[2]  TTL in seconds to set when ARGV[3] is '1' (0 = none)
 * ARGV[3]  '1' if the batch holds the terminal event
 * ARGV[4]  '1' if the batch was sent before (a retry): seqs already in the stream are skipped.
 *          '0' for a first send: the stream must end exactly before the batch's first seq;
 *          a stream that ends later means another writer got there first (seq_conflict).
 *          A stream that ends earlier lost events (expired, deleted): seq_gap, either way.
 * ARGV[5..] seq, json, seq, json, ... (contiguous seqs, ascending)
 *
 * The terminal event's entry carries a second field `t` = '1'. A batch that would add anything
 * after an entry marked so is refused (TURNPOOL_TURN_ENDED): whatever raced — a zombie attempt,
 * a second host ending a failed turn, a write replayed after a reconnect — a turn has exactly
 * one terminal event and nothing after it, by construction.
 * Everything is checked before the first write: a script is not rolled back on error.
 * Returns { added, lastSeq }.
 */
export const publishBatchLua = `
local top = redis.call('XREVRANGE', KEYS[1], '+', '-', 'COUNT', 1)
local last = 0
local ended = false
if top[1] then
  last = tonumber(string.match(top[1][1], '^(%d+)'))
  local fields = top[1][2]
  for j = 1, #fields, 2 do
    if fields[j] == 't' then ended = true end
  end
end
local first = tonumber(ARGV[5])
if ended and tonumber(ARGV[#ARGV - 1]) > last then
  return redis.error_reply('TURNPOOL_TURN_ENDED stream ended at ' .. last .. ', batch ends at ' .. ARGV[#ARGV - 1])
end
if last < first - 1 then
  return redis.error_reply('TURNPOOL_SEQ_GAP stream ends at ' .. last .. ', batch starts at ' .. first)
end
if ARGV[4] == '0' and last > first - 1 then
  return redis.error_reply('TURNPOOL_SEQ_CONFLICT stream ends at ' .. last .. ', batch starts at ' .. first)
end
local added = {}
for i = 5, #ARGV, 2 do
  if tonumber(ARGV[i]) > last then
    if ARGV[3] == '1' and i == #ARGV - 1 then
      redis.call('XADD', KEYS[1], ARGV[i] .. '-0', 'e', ARGV[i + 1], 't', '1')
    else
      redis.call('XADD', KEYS[1], ARGV[i] .. '-0', 'e', ARGV[i + 1])
    end
    added[#added + 1] = ARGV[i + 1]
  end
end
if #added > 0 then
  redis.call('PUBLISH', ARGV[1], '[' .. table.concat(added, ',') .. ']')
  last = tonumber(ARGV[#ARGV - 1])
end
if ARGV[3] == '1' and tonumber(ARGV[2]) > 0 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return { #added, last }
`;

const commandName = 'turnpoolPublishTurnBatch';

type PublishBatchFn = (stream: string, ...args: (string | number)[]) => Promise<[number, number]>;

/**
 * The script as a command of `redis` (defineCommand: EVALSHA, with one EVAL the first time a
 * connection sees it). Defined once per connection.
 */
export function publishBatchCommand(redis: Redis): PublishBatchFn {
  const commands = redis as unknown as Record<string, unknown>;
  if (typeof commands[commandName] !== 'function') {
    redis.defineCommand(commandName, { lua: publishBatchLua, numberOfKeys: 1 });
  }
  const fn = commands[commandName] as PublishBatchFn;
  return (stream, ...args) => fn.call(redis, stream, ...args);
}
