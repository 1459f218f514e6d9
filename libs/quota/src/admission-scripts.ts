/**
 * The Lua scripts of fleet-wide admission. Every key of one quota key shares the `{prefix}` hash
 * tag, so each script touches one Redis Cluster slot. Keys, in this order, for both scripts:
 *
 *  1 state hash (buckets, learned limit, counters, the last configured budget)
 *  2 leases zset (lease id -> expiry ms)        3 lease-need hash (lease id -> reserved tokens)
 *  4 wait zset (turn id -> arrival sequence)     5 wait-need hash (turn id -> tokens it needs)
 *  6 wait-seen zset (turn id -> last time seen)  7 throttles zset (throttle id -> time)
 *  8 day hash (field `tokens`: counted today, UTC) 9 the set of every quota key
 *
 * Only commands of the documented least-privilege ACL (docs/security.md) are used.
 */

/** Shared preamble: clock, expiry of dead leases and abandoned waiters, continuous bucket refill. */
const preamble = `
local now = tonumber(ARGV[1])
local rpm = tonumber(ARGV[2])
local tpm = tonumber(ARGV[3])
local state = KEYS[1]

local dead = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now)
if #dead > 0 then
  for _, id in ipairs(dead) do redis.call('HDEL', KEYS[3], id); redis.call('ZREM', KEYS[2], id) end
  redis.call('HINCRBY', state, 'leasesExpired', #dead)
end
local waiterTtl = tonumber(redis.call('HGET', state, 'waiterTtlMs') or '15000')
local gone = redis.call('ZRANGEBYSCORE', KEYS[6], '-inf', now - waiterTtl)
for _, id in ipairs(gone) do redis.call('ZREM', KEYS[4], id); redis.call('HDEL', KEYS[5], id); redis.call('ZREM', KEYS[6], id) end

local function level(field, cap)
  if cap <= 0 then return 0 end
  local tokens = tonumber(redis.call('HGET', state, field))
  local ts = tonumber(redis.call('HGET', state, field .. 'At'))
  if tokens == nil or ts == nil then return cap end
  local t = tokens + math.max(0, now - ts) * cap / 60000
  if t > cap then t = cap end
  return t
end
local rpmLevel = level('rpmTokens', rpm)
local tpmLevel = level('tpmTokens', tpm)
local limit = tonumber(redis.call('HGET', state, 'limit'))
`;

/**
 * ARGV: now, rpm, tpm, tokensPerDay, need, turnId, leaseId, leaseTtlMs, waiterTtlMs, quotaKey,
 * msToDayEnd. rpm/tpm/tokensPerDay 0 = not configured.
 * Returns {'admitted', leaseId} | {'wait', reason, position, etaMs} | {'daily', etaMs} | {'too_large', tpm}.
 */
export const acquireScript = `${preamble}
local tpd = tonumber(ARGV[4])
local need = tonumber(ARGV[5])
local turn = ARGV[6]
redis.call('SADD', KEYS[9], ARGV[10])
redis.call('HSET', state, 'rpm', rpm, 'tpm', tpm, 'tokensPerDay', tpd, 'waiterTtlMs', ARGV[9])

if tpm > 0 and need > tpm then
  redis.call('ZREM', KEYS[4], turn); redis.call('HDEL', KEYS[5], turn); redis.call('ZREM', KEYS[6], turn)
  return {'too_large', tostring(tpm)}
end
local today = tonumber(redis.call('HGET', KEYS[8], 'tokens') or '0')
if tpd > 0 and today + need > tpd then
  redis.call('ZREM', KEYS[4], turn); redis.call('HDEL', KEYS[5], turn); redis.call('ZREM', KEYS[6], turn)
  redis.call('HINCRBY', state, 'dailyRefused', 1)
  return {'daily', ARGV[11]}
end

-- The head of the line keeps its place: anyone else goes only on what is left after the head's need.
local head = redis.call('ZRANGE', KEYS[4], 0, 0)[1]
local aheadReq, aheadTok = 0, 0
if head and head ~= turn then
  aheadReq = 1
  aheadTok = tonumber(redis.call('HGET', KEYS[5], head) or '0')
end
local inflight = redis.call('ZCARD', KEYS[2])
local rpmOk = rpm <= 0 or rpmLevel >= aheadReq + 1
local tpmOk = tpm <= 0 or tpmLevel >= aheadTok + need
local concOk = limit == nil or inflight + aheadReq + 1 <= limit

if rpmOk and tpmOk and concOk then
  if rpm > 0 then redis.call('HSET', state, 'rpmTokens', rpmLevel - 1, 'rpmTokensAt', now) end
  if tpm > 0 then redis.call('HSET', state, 'tpmTokens', tpmLevel - need, 'tpmTokensAt', now) end
  redis.call('ZADD', KEYS[2], now + tonumber(ARGV[8]), ARGV[7])
  redis.call('HSET', KEYS[3], ARGV[7], need)
  redis.call('HINCRBY', KEYS[8], 'tokens', need)
  redis.call('EXPIRE', KEYS[8], math.ceil(tonumber(ARGV[11]) / 1000) + 86400)
  redis.call('ZREM', KEYS[4], turn); redis.call('HDEL', KEYS[5], turn); redis.call('ZREM', KEYS[6], turn)
  redis.call('HINCRBY', state, 'admitted', 1)
  return {'admitted', ARGV[7]}
end

if not redis.call('ZSCORE', KEYS[4], turn) then
  redis.call('ZADD', KEYS[4], redis.call('HINCRBY', state, 'seq', 1), turn)
  redis.call('HINCRBY', state, 'waited', 1)
end
redis.call('HSET', KEYS[5], turn, need)
redis.call('ZADD', KEYS[6], now, turn)
local mine = redis.call('ZSCORE', KEYS[4], turn)
local position = #redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', '(' .. mine, 'LIMIT', 0, 100000)
-- When the bucket will hold what everyone up to this turn needs (refill only; refunds come sooner).
local counted = math.min(position, 999)
local upTo = redis.call('ZRANGE', KEYS[4], 0, counted)
local needs = redis.call('HMGET', KEYS[5], unpack(upTo))
local sum = 0
for _, v in ipairs(needs) do sum = sum + (tonumber(v) or 0) end
sum = sum * (position + 1) / (counted + 1)
local eta, reason = 0, 'concurrency'
if rpm > 0 then
  local e = (position + 1 - rpmLevel) * 60000 / rpm
  if e > eta then eta = e; reason = 'rpm' end
end
if tpm > 0 then
  local e = (sum - tpmLevel) * 60000 / tpm
  if e > eta then eta = e; reason = 'tpm' end
end
if not concOk and eta <= 0 then reason = 'concurrency' end
return {'wait', reason, tostring(position + 1), tostring(math.ceil(eta))}
`;

/**
 * ARGV: now, rpm, tpm, leaseId, usedTokens, outcome ('ok' | 'throttled' | 'failed'),
 * decreaseFactor, cooldownMs, maxWake.
 * Settles a lease: gives back `reserved - used` tokens (or takes the excess), updates the learned
 * concurrency limit (multiplicative decrease on a throttle, additive increase on success) and
 * returns the waiting turns that can go now, head first.
 */
export const settleScript = `${preamble}
local lease = ARGV[4]
local used = tonumber(ARGV[5])
local outcome = ARGV[6]
local inflight = redis.call('ZCARD', KEYS[2])
local reserved = tonumber(redis.call('HGET', KEYS[3], lease))
if reserved ~= nil then
  redis.call('ZREM', KEYS[2], lease)
  redis.call('HDEL', KEYS[3], lease)
  if tpm > 0 then
    tpmLevel = math.min(tpm, tpmLevel + reserved - used)
    redis.call('HSET', state, 'tpmTokens', tpmLevel, 'tpmTokensAt', now)
  end
  if redis.call('EXISTS', KEYS[8]) == 1 then redis.call('HINCRBY', KEYS[8], 'tokens', used - reserved) end
  redis.call('HINCRBY', state, 'settled', 1)
end

if outcome == 'throttled' then
  redis.call('HINCRBY', state, 'throttled', 1)
  redis.call('ZADD', KEYS[7], now, lease .. ':' .. now)
  for _, old in ipairs(redis.call('ZRANGEBYSCORE', KEYS[7], '-inf', now - 60000)) do redis.call('ZREM', KEYS[7], old) end
  local last = tonumber(redis.call('HGET', state, 'limitAt') or '0')
  if now - last >= tonumber(ARGV[8]) then
    local base = inflight
    if limit ~= nil and limit < base then base = limit end
    limit = math.max(1, math.floor(base * tonumber(ARGV[7])))
    redis.call('HSET', state, 'limit', limit, 'limitAt', now)
  end
elseif outcome == 'ok' and limit ~= nil then
  limit = limit + 1 / limit
  if limit > 100000 then
    redis.call('HDEL', state, 'limit', 'limitAt')
    limit = nil
  else
    redis.call('HSET', state, 'limit', limit)
  end
end

-- Who fits now, head first: wake them rather than let them sleep to a refill-only estimate.
local wake = {}
local heads = redis.call('ZRANGE', KEYS[4], 0, tonumber(ARGV[9]) - 1)
local reqLeft, tokLeft = rpmLevel, tpmLevel
local slots = limit and (limit - redis.call('ZCARD', KEYS[2])) or 1e18
for _, turn in ipairs(heads) do
  local need = tonumber(redis.call('HGET', KEYS[5], turn) or '0')
  if (rpm > 0 and reqLeft < 1) or (tpm > 0 and tokLeft < need) or slots < 1 then break end
  reqLeft = reqLeft - 1
  tokLeft = tokLeft - need
  slots = slots - 1
  wake[#wake + 1] = turn
end
return wake
`;
