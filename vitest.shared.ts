import type { ViteUserConfig } from 'vitest/config';

/**
 * One vitest setup for every project: node environment, no globals, unit tests
 * (`*.test.ts`) and integration tests (`*.integration.test.ts`, real Redis / emulator /
 * threads) side by side in `src/`. Integration tests get REDIS_URL from tools/setup.
 */
export function sharedTestConfig(projectRoot: string): ViteUserConfig {
  return {
    root: projectRoot,
    test: {
      globals: false,
      environment: 'node',
      include: ['src/**/*.test.ts'],
      testTimeout: 30_000,
      hookTimeout: 30_000,
      pool: 'forks',
      reporters: ['default'],
    },
  };
}
