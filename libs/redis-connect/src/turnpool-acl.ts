/**
 * Redis commands turnpool's processes send (worker hosts, worker threads, dispatcher, BullMQ's
 * Lua scripts, the catalog), as observed by `deriveAclCommands` on a workload that walks every
 * path (turns, BullMQ retry with backoff, terminal failure, cancel, SSE replay, kill -9 and
 * stalled-job recovery, models list, metrics), plus `info` (ioredis' ready check and BullMQ's
 * version and eviction-policy checks) and `quit`; `ltrim`, `zremrangebyrank` and `zremrangebyscore`
 * bound the console's read side (recent-turns index, TTFT samples, host list) and were added with it. docs/security.md prints the resulting ACL; tools/chaos checks it (security scenario) and libs/quota runs admission as this user.
 */
export const turnpoolAclCommands = [
  'bzpopmin',
  'client|setname',
  'del',
  'eval',
  'evalsha',
  'exec',
  'exists',
  'expire',
  'get',
  'hdel',
  'hello',
  'hget',
  'hgetall',
  'hincrby',
  'hmget',
  'hmset',
  'hset',
  'incr',
  'info',
  'lindex',
  'llen',
  'lpos',
  'lpush',
  'lrange',
  'lrem',
  'ltrim',
  'multi',
  'ping',
  'publish',
  'quit',
  'rpoplpush',
  'rpush',
  'sadd',
  'scard',
  'set',
  'smembers',
  'srem',
  'subscribe',
  'unsubscribe',
  'xadd',
  'xrange',
  'xread',
  'xrevrange',
  'xtrim',
  'zadd',
  'zcard',
  'zpopmin',
  'zrange',
  'zrangebyscore',
  'zrem',
  'zremrangebyrank',
  'zremrangebyscore',
  'zrevrangebyscore',
  'zscore',
] as const;

/**
 * The `ACL SETUSER` arguments of a least-privilege turnpool user: only its own keys
 * (`{prefix}:*`, the hash-tagged prefix every key carries) and channels, only the commands above.
 */
export function turnpoolAclRules(prefix: string, password: string, commands: readonly string[] = turnpoolAclCommands): string[] {
  return ['reset', 'on', `>${password}`, `~{${prefix}}:*`, `&{${prefix}}:*`, '-@all', ...commands.map((c) => `+${c}`)];
}
