import { runBadInput, type BadInputOptions } from './scenarios/bad-input.ts';
import { runClusterFailover, type ClusterFailoverOptions } from './scenarios/cluster-failover.ts';
import { runBedrockStorms, type BedrockStormOptions } from './scenarios/bedrock-storms.ts';
import { deriveAclCommands } from './scenarios/derive-acl-commands.ts';
import { runGracefulDeploy, type GracefulDeployOptions } from './scenarios/graceful-deploy.ts';
import { runHostCrashes, type HostCrashOptions } from './scenarios/host-crashes.ts';
import { runLimiterRestart, type LimiterRestartOptions } from './scenarios/limiter-restart.ts';
import { runRedisOutage, type RedisOutageOptions } from './scenarios/redis-outage.ts';
import { runSecurity } from './scenarios/security.ts';
import { runStartupGuards } from './scenarios/startup-guards.ts';
import { runSubscribers, type SubscriberOptions } from './scenarios/subscribers.ts';
import { turnpoolAclCommands } from '@turnpool/redis-connect';

/** Sizes of the full run (`npm run chaos`). The quick form (the integration tests) uses smaller ones. */
export const fullSizes = {
  hostCrashes: { turns: 300, kills: 10, killEveryMs: 3000, tokens: 150, tokensPerSecond: 30, settleMs: 180_000 } satisfies HostCrashOptions,
  redisOutage: { outagesSec: [5, 30], turnsPerOutage: 30, probeEveryMs: 250, settleMs: 120_000 } satisfies RedisOutageOptions,
  bedrockStorms: { plainTurns: 200, exceptionTurns: 30, stallTurns: 15, settleMs: 180_000 } satisfies BedrockStormOptions,
  gracefulDeploy: { busyTurns: 60, laterTurns: 40, tokens: 150, tokensPerSecond: 30, settleMs: 120_000 } satisfies GracefulDeployOptions,
  subscribers: { turns: 20, reconnects: 1000, tokens: 600, tokensPerSecond: 60, settleMs: 120_000 } satisfies SubscriberOptions,
  badInput: { httpCases: 3000, configCases: 3000 } satisfies BadInputOptions,
  limiterRestart: { restartsSec: [5, 15], turnsPerRestart: 30, settleMs: 120_000 } satisfies LimiterRestartOptions,
  clusterFailover: {
    turnsPerPhase: 60,
    followed: 5,
    tokens: 150,
    tokensPerSecond: 30,
    workers: 3,
    nodeTimeoutMs: 2000,
    settleMs: 120_000,
  } satisfies ClusterFailoverOptions,
};

/** Scenario number -> runner; each returns a JSON-able report. */
export const scenarios: Record<number, { name: string; run: () => Promise<object> }> = {
  1: { name: 'host crashes', run: () => runHostCrashes(fullSizes.hostCrashes) },
  2: { name: 'Redis outage', run: () => runRedisOutage(fullSizes.redisOutage) },
  3: { name: 'Bedrock storms', run: () => runBedrockStorms(fullSizes.bedrockStorms) },
  4: { name: 'graceful deploy', run: () => runGracefulDeploy(fullSizes.gracefulDeploy) },
  5: { name: 'subscribers', run: () => runSubscribers(fullSizes.subscribers) },
  6: { name: 'bad input', run: () => runBadInput(fullSizes.badInput) },
  7: {
    name: 'security',
    run: async () => {
      const observed = await deriveAclCommands({ withCrash: true });
      const listed = new Set<string>(turnpoolAclCommands);
      return {
        ...(await runSecurity()),
        aclDerivation: { observed: observed.length, notInAclList: observed.filter((c) => !listed.has(c)) },
      };
    },
  },
  8: { name: 'startup guards', run: () => runStartupGuards() },
  9: { name: 'limiter Redis restart', run: () => runLimiterRestart(fullSizes.limiterRestart) },
  10: { name: 'Redis Cluster failover', run: () => runClusterFailover(fullSizes.clusterFailover) },
};
