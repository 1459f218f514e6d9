export { RedisGuardError, type RedisGuardErrorCode } from './redis-guard-error.ts';
export { hashTagOf } from './hash-tag-of.ts';
export { checkKeyPrefix } from './check-key-prefix.ts';
export { parseRedisInfo, type RedisServerInfo } from './parse-redis-info.ts';
export { checkRedisServer, type CheckRedisServerOptions } from './check-redis-server.ts';
export { maskRedisUrl } from './mask-redis-url.ts';
export { turnpoolAclCommands, turnpoolAclRules } from './turnpool-acl.ts';
export { bullmqConnection, createRedis, type RedisClient, type RedisRoleOptions } from './create-redis.ts';
export { parseRedisTarget, RedisUrlError, type RedisTarget } from '@turnpool/config';
