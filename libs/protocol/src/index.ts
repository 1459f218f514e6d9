export { redisKeys } from './redis-keys.ts';
