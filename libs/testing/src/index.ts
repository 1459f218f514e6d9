export { testRedisUrl } from './test-redis-url.ts';
export { uniquePrefix } from './unique-prefix.ts';
export { freePort } from './free-port.ts';
export { startRedisServer, type OwnRedisServer } from './start-redis-server.ts';
export { cleanupPrefix } from './cleanup-prefix.ts';
export { spawnTurnpool, type TurnpoolProcess } from './spawn-turnpool.ts';
export { noAwsCredentialsEnv } from './no-aws-credentials-env.ts';
export { userFacingTextProblems } from './user-facing-text-problems.ts';
export { sourceCondition, sourceExecArgv, tsxExecArgv } from './source-exec-argv.ts';
