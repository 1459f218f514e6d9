import type { Cluster, Redis } from 'ioredis';

/**
 * The idempotency claim on a turn id, as ONE Lua script so that the check and the claim are a
 * single atomic step (two callers can never both see "free").
 *
 * KEYS[1] the turn's record (state hash: fingerprint, ref, modelId, submittedAt, pending)
 * ARGV[1] op: check | claim | settle | release
 * ARGV[2] the request fingerprint
 * ARGV[3] claim token (claim: the new one; settle / release: the one held or seen)
 * check / claim: ARGV[4] what the turn's BullMQ job said, read just before: `none` (no job),
 *   `same` (its data carries this fingerprint) or `other`
 * claim:  ARGV[5] ref, ARGV[6] modelId, ARGV[7] submittedAt, ARGV[8] claim lifetime in s
 * settle: ARGV[4] the record's lifetime in s
 *
 * The job hash lives in the queue's `{prefix}` slot and the record in the turn's own slot
 * (turn-keys.ts), so on a Redis Cluster one script cannot read both: the job is read first
 * (turn-claims.ts) and only consulted when the record is gone. That read can be stale only if a
 * job appears between it and the script while no record exists, and only a record holder adds a
 * job (`pending` claim or settled record), so that takes a claim expiring in that very gap.
 *
 * check / claim answer {'conflict'} (another request holds the id), {'exists'} (this request,
 * enqueued), {'pending', token} (this request, being enqueued by the holder of `token`),
 * {'free'} (check only) or {'claimed', token}. A record written by `claim` carries `pending`
 * and a short lifetime until `settle` (after the job was added) clears it and gives the record
 * the retention period; `release` (the add failed) deletes it if the claim is still the caller's.
 * Only commands of the documented least-privilege ACL (docs/security.md) are used.
 */
export const turnClaimLua = `
local op, fp, token = ARGV[1], ARGV[2], ARGV[3]
if op == 'settle' then
  local pending = redis.call('HGET', KEYS[1], 'pending')
  if pending == token then
    redis.call('HDEL', KEYS[1], 'pending')
    redis.call('EXPIRE', KEYS[1], ARGV[4])
    return {'settled'}
  end
  if not pending and redis.call('HGET', KEYS[1], 'fingerprint') == fp then return {'settled'} end
  return {'lost'}
end
if op == 'release' then
  if redis.call('HGET', KEYS[1], 'pending') == token then
    redis.call('DEL', KEYS[1])
    return {'released'}
  end
  return {'kept'}
end
local held = redis.call('HGET', KEYS[1], 'fingerprint')
if held then
  if held ~= fp then return {'conflict'} end
  local pending = redis.call('HGET', KEYS[1], 'pending')
  if pending then return {'pending', pending} end
  return {'exists'}
end
local job = ARGV[4]
if job == 'same' then return {'exists'} end
if job ~= 'none' then return {'conflict'} end
if op == 'check' then return {'free'} end
redis.call('HSET', KEYS[1], 'fingerprint', fp, 'pending', token, 'ref', ARGV[5], 'modelId', ARGV[6], 'submittedAt', ARGV[7])
redis.call('EXPIRE', KEYS[1], ARGV[8])
return {'claimed', token}
`;

const commandName = 'turnpoolTurnClaim';

type TurnClaimFn = (record: string, ...args: string[]) => Promise<string[]>;

/**
 * The script as a command of `redis` (defineCommand: EVALSHA, with one EVAL the first time a
 * connection sees it). Defined once per connection.
 */
export function turnClaimCommand(redis: Redis | Cluster): TurnClaimFn {
  const commands = redis as unknown as Record<string, unknown>;
  if (typeof commands[commandName] !== 'function') {
    redis.defineCommand(commandName, { lua: turnClaimLua, numberOfKeys: 1 });
  }
  const fn = commands[commandName] as TurnClaimFn;
  return (record, ...args) => fn.call(redis, record, ...args);
}
