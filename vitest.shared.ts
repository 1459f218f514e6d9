import { defaultServerConditions } from 'vite';
import type { ViteUserConfig } from 'vitest/config';
import { sourceCondition, sourceExecArgv } from './libs/testing/src/source-exec-argv.ts';

/** vitest's own default server conditions (vite's without `module`: Node loads externals) plus ours. */
const serverConditions = [sourceCondition, ...defaultServerConditions.filter((c) => c !== 'module')];

/**
 * Tests run the TypeScript sources, never dist/: the `@turnpool/source` export condition
 * (docs/development.md, "Sources or dist") for what vite resolves (ssr: vitest's node tests)
 * and, through execArgv, for what Node resolves itself in the test process and the worker
 * threads it starts. Child processes a test spawns pass the flag themselves (sourceExecArgv
 * in libs/testing).
 *
 * One vitest setup for every project: node environment, no globals, unit tests
 * (`*.test.ts`) and integration tests (`*.integration.test.ts`, real Redis / emulator /
 * threads) side by side in `src/`. Integration tests get REDIS_URL from tools/setup.
 */
export function sharedTestConfig(projectRoot: string): ViteUserConfig {
  return {
    root: projectRoot,
    resolve: { conditions: serverConditions },
    ssr: { resolve: { conditions: serverConditions } },
    test: {
      globals: false,
      environment: 'node',
      include: ['src/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
      pool: 'forks',
      execArgv: [...sourceExecArgv],
      reporters: ['default'],
    },
  };
}
