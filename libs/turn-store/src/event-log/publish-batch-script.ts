import type { Cluster, Redis } from 'ioredis';

/**
 * How a turn's batch is fenced against the stream:
 * - `fenced`: the writer's previous batch was confirmed, so the stream is known to end exactly
 *   before this batch. Nothing is read: `XADD NOMKSTREAM <seq>-0` itself refuses an id not above
 *   the stream's last id (another writer got there first) and a stream that is gone (deleted,
 *   expired). Only when it refuses is the stream's top read, to say why.
 * - `checked`: a writer's first batch (what it read at open may be stale): the top is read first
 *   and the stream must end exactly before the batch.
 * - `retry`: the batch was sent before and its reply was lost: the top is read first and seqs
 *   already in the stream are skipped.
 */
export type FenceMode = 'fenced' | 'checked' | 'retry';

const modeCode: Record<FenceMode, string> = { fenced: 'f', checked: 'c', retry: 'r' };

/**
 * Batches of turn events of one or more turns in one round trip. Per turn, atomically: XADD each
 * new event to the turn's stream under the explicit entry id `<seq>-0`, PUBLISH the new ones as
 * one JSON array to the turn's channel, and EXPIRE the stream when the batch holds the terminal
 * event. One turn's refusal does not stop the others (their keys are independent).
 *
 * KEYS[k]  the k-th turn's stream (on a Cluster all in one slot: one turn per call, see below)
 * ARGV[1]  the publish command: `PUBLISH` on one node (Redis 6.2 has no other), `SPUBLISH` on a
 *          Cluster (a classic PUBLISH is broadcast to every node of a Cluster; a shard channel
 *          goes only to the shard of its slot, the turn's own, turn-keys.ts)
 * ARGV[2…] per turn, in KEYS order: channel, TTL in seconds to set with the terminal event (0 =
 *          none), '1' if the batch holds the terminal event, the fence mode (f|c|r, see
 *          {@link FenceMode}), n, then n pairs seq, json (contiguous seqs, ascending).
 *
 * The terminal event's entry carries a second field `t` = '1'. A batch that would add anything
 * after an entry marked so is refused (TURNPOOL_TURN_ENDED). A fenced batch does not look for
 * the mark, and needs not: its writer's own batch ending just before it was confirmed without
 * a terminal event, and any entry added since by anyone (a terminal one included) has an id at
 * least as high as the batch's first, so the XADD fence refuses it and the top is then read.
 * So whatever raced — a zombie attempt, a second host ending a failed turn, a write replayed
 * after a reconnect — a turn has exactly one terminal event and nothing after it.
 * Everything that can refuse a turn's batch is checked before that turn's first write (a
 * script is not rolled back on error).
 * Returns one string per turn: `ok <added> <lastSeq>`, or the refusal (`TURNPOOL_SEQ_GAP ...`,
 * `TURNPOOL_SEQ_CONFLICT ...`, `TURNPOOL_TURN_ENDED ...`).
 */
export const publishBatchLua = `
local out = {}
local pub = ARGV[1]
local a = 2
for k = 1, #KEYS do
  local key = KEYS[k]
  local channel, ttl, terminal, mode, n = ARGV[a], tonumber(ARGV[a + 1]), ARGV[a + 2], ARGV[a + 3], tonumber(ARGV[a + 4])
  local s = a + 5
  local e = s + 2 * n - 2
  a = s + 2 * n
  local first, batchLast = tonumber(ARGV[s]), tonumber(ARGV[e])
  local from = s
  local added = {}
  local refused = nil
  local last = first - 1
  if mode == 'f' then
    local r
    if terminal == '1' and n == 1 then
      r = redis.pcall('XADD', key, 'NOMKSTREAM', ARGV[s] .. '-0', 'e', ARGV[s + 1], 't', '1')
    else
      r = redis.pcall('XADD', key, 'NOMKSTREAM', ARGV[s] .. '-0', 'e', ARGV[s + 1])
    end
    if type(r) == 'string' then
      added[1] = ARGV[s + 1]
      from = s + 2
      last = first
    else
      mode = 'c'
    end
  end
  if mode ~= 'f' then
    local top = redis.call('XREVRANGE', key, '+', '-', 'COUNT', 1)
    local ended = false
    last = 0
    if top[1] then
      last = tonumber(string.match(top[1][1], '^(%d+)'))
      local fields = top[1][2]
      for j = 1, #fields, 2 do
        if fields[j] == 't' then ended = true end
      end
    end
    if ended and batchLast > last then
      refused = 'TURNPOOL_TURN_ENDED stream ended at ' .. last .. ', batch ends at ' .. batchLast
    elseif last < first - 1 then
      refused = 'TURNPOOL_SEQ_GAP stream ends at ' .. last .. ', batch starts at ' .. first
    elseif mode ~= 'r' and last > first - 1 then
      refused = 'TURNPOOL_SEQ_CONFLICT stream ends at ' .. last .. ', batch starts at ' .. first
    end
  end
  if refused then
    out[k] = refused
  else
    for i = from, e, 2 do
      if tonumber(ARGV[i]) > last then
        if terminal == '1' and i == e then
          redis.call('XADD', key, ARGV[i] .. '-0', 'e', ARGV[i + 1], 't', '1')
        else
          redis.call('XADD', key, ARGV[i] .. '-0', 'e', ARGV[i + 1])
        end
        added[#added + 1] = ARGV[i + 1]
      end
    end
    if #added > 0 then
      redis.call(pub, channel, '[' .. table.concat(added, ',') .. ']')
      last = batchLast
    end
    if terminal == '1' and ttl > 0 then
      redis.call('EXPIRE', key, ttl)
    end
    out[k] = 'ok ' .. #added .. ' ' .. last
  end
end
return out
`;

const commandName = 'turnpoolPublishTurnBatches';

/** One turn's batch as the script takes it. */
export interface TurnBatchArgs {
  stream: string;
  channel: string;
  ttlSeconds: number;
  terminal: boolean;
  mode: FenceMode;
  /** seq, json pairs, contiguous and ascending. */
  events: readonly { seq: number; json: string }[];
}

/** A turn's outcome: what was added, or the script's refusal (`TURNPOOL_...` message). */
export type TurnBatchResult = { added: number; lastSeq: number } | { refused: string };

type ScriptFn = (numKeys: number, ...args: (string | number)[]) => Promise<string[]>;

/**
 * The script as a command of `redis` (defineCommand: EVALSHA, with one EVAL the first time a
 * connection sees it), taking the batches of one or more turns. Defined once per connection.
 * On one node the batches go in one call. On a Cluster each turn's keys have their own slot, so
 * each turn's batch is its own call (all sent at once; ioredis routes each to its master).
 */
export function publishBatchCommand(redis: Redis | Cluster): (batches: readonly TurnBatchArgs[]) => Promise<TurnBatchResult[]> {
  const commands = redis as unknown as Record<string, unknown>;
  if (typeof commands[commandName] !== 'function') redis.defineCommand(commandName, { lua: publishBatchLua });
  const fn = commands[commandName] as ScriptFn;
  const call = async (batches: readonly TurnBatchArgs[]): Promise<TurnBatchResult[]> => {
    const args: (string | number)[] = batches.map((b) => b.stream);
    args.push(redis.isCluster ? 'SPUBLISH' : 'PUBLISH');
    for (const b of batches) {
      args.push(b.channel, b.ttlSeconds, b.terminal ? '1' : '0', modeCode[b.mode], b.events.length);
      for (const ev of b.events) args.push(ev.seq, ev.json);
    }
    const replies = await fn.call(redis, batches.length, ...args);
    return replies.map((r) => {
      const m = /^ok (\d+) (\d+)$/.exec(r);
      return m ? { added: Number(m[1]), lastSeq: Number(m[2]) } : { refused: r };
    });
  };
  if (!redis.isCluster) return call;
  return async (batches) => (await Promise.all(batches.map((b) => call([b])))).flat();
}
