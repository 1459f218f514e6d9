// Root ESLint flat config. Every project re-exports it from its own eslint.config.mjs,
// which is how @nx/eslint/plugin finds the projects to lint.
import nx from '@nx/eslint-plugin';
import jsoncParser from 'jsonc-eslint-parser';

/** Packages that do I/O: a `type:contract` project (libs/protocol) may import none of them. */
const ioPackages = ['ioredis', 'bullmq', 'piscina', 'fastify', 'pino', 'prom-client', '@aws-sdk/*', '@smithy/*'];

/** Node built-ins that do I/O: banned in the contract lib too (bannedExternalImports only sees npm packages). */
const ioBuiltins = [
  'fs',
  'fs/promises',
  'net',
  'tls',
  'http',
  'http2',
  'https',
  'dgram',
  'child_process',
  'worker_threads',
  'cluster',
].flatMap((m) => [m, `node:${m}`]);

export const depConstraints = [
  { sourceTag: 'type:contract', onlyDependOnLibsWithTags: ['type:contract'], bannedExternalImports: ioPackages },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contract'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:contract'] },
  { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['type:tool', 'type:data-access', 'type:util', 'type:contract'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:contract'] },
  // Only the CLI reaches into tools (it ships the emulator as `turnpool emulator`) and into the
  // apps (`turnpool start` runs the dispatcher and a worker host in one process).
  { sourceTag: 'type:cli', onlyDependOnLibsWithTags: ['type:app', 'type:data-access', 'type:util', 'type:contract', 'type:tool'] },
  // Benchmarks and chaos runs drive the real apps in-process and as child processes.
  {
    sourceTag: 'type:harness',
    onlyDependOnLibsWithTags: ['type:cli', 'type:app', 'type:data-access', 'type:util', 'type:contract', 'type:tool'],
  },
  // The ban holds transitively (checkNestedExternalImports, below): no lib the dispatcher
  // imports may import them either, so the dispatcher process never loads the Bedrock runtime SDK.
  {
    sourceTag: 'scope:dispatcher',
    notDependOnLibsWithTags: ['type:app', 'type:cli'],
    bannedExternalImports: ['@aws-sdk/client-bedrock-runtime', 'piscina'],
  },
  { sourceTag: 'scope:worker', notDependOnLibsWithTags: ['type:app', 'type:cli'] },
  // The console page (apps/console, a browser bundle) reads the API shapes from their homes:
  // type-only imports, which the bundler erases (the rule on apps/console/src below holds that).
  { sourceTag: 'type:web', onlyDependOnLibsWithTags: ['type:contract', 'type:data-access'] },
];

/**
 * Files of a package that are not what it ships: `@nx/dependency-checks` takes the imports
 * of everything else as the package's runtime dependencies.
 */
const notShipped = [
  '{projectRoot}/eslint.config.mjs',
  '{projectRoot}/vitest.config.ts',
  '{projectRoot}/src/**/*.test.ts',
  '{projectRoot}/src/**/test-support/**',
  '{projectRoot}/src/**/__fixtures__/**',
  '{projectRoot}/src/e2e/**',
  '{projectRoot}/src/**/*-test-support.ts',
  // The CLI's build script (nx bundle cli): esbuild is a build tool, not a run-time dependency.
  '{projectRoot}/bundle.mjs',
];

/**
 * Packages the CLI imports lazily in one place and statically in others (Nx forbids that mix by
 * default, for bundlers' code splitting): the worker start must not load them (the AWS SDK behind
 * `@turnpool/credentials/clients`, the emulator); the commands and tests that need them are their
 * own lazily loaded chunks or never part of the bundle. docs/benchmarks.md §11.
 */
const lazyWhereItCounts = ['@turnpool/credentials', '@turnpool/bedrock-emulator'];

export default [
  // The CLI's esbuild output (nx bundle cli); basePath: `nx lint` runs ESLint in apps/cli too.
  { basePath: import.meta.dirname, ignores: ['apps/cli/bundle/**'] },
  { ignores: ['**/node_modules/**', '**/dist/**', '**/out-tsc/**', '**/.nx/**', '**/*.d.ts', '**/coverage/**'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts', '**/*.mts', '**/*.mjs', '**/*.js'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // bannedExternalImports apply to a project's dependencies too (the contract lib's and the dispatcher's bans).
          checkNestedExternalImports: true,
          checkDynamicDependenciesExceptions: lazyWhereItCounts,
          allow: [],
          depConstraints,
        },
      ],
    },
  },
  {
    // The contract lib (libs/protocol) is pure: no Node I/O modules either.
    // basePath: `nx lint` runs ESLint in the project's folder with its eslint.config.mjs (which
    // re-exports this file), where `files` would be relative to libs/protocol and never match.
    basePath: import.meta.dirname,
    files: ['libs/protocol/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ioBuiltins.map((name) => ({ name, message: 'libs/protocol (type:contract) does no I/O.' })),
        },
      ],
    },
  },
  {
    // libs/turn-store is the dispatcher's data path (its `./client`): nothing in it may load the
    // Bedrock runtime SDK, directly or through the libs that do (bedrock, credentials). The
    // dispatcher's own ban (scope:dispatcher above) sees only its direct imports; this keeps
    // the client entry free of the SDK transitively too. The worker supplies the model call.
    basePath: import.meta.dirname, // as above: also when linted from libs/turn-store
    files: ['libs/turn-store/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['@aws-sdk/client-bedrock-runtime', '@turnpool/bedrock', '@turnpool/credentials', 'piscina'].map((name) => ({
            name,
            message: 'libs/turn-store is loaded by the dispatcher: no Bedrock runtime here.',
          })),
          patterns: [
            {
              group: ['@aws-sdk/client-bedrock-runtime/*', '@turnpool/bedrock/*', '@turnpool/credentials/*'],
              message: 'libs/turn-store is loaded by the dispatcher: no Bedrock runtime here.',
            },
          ],
        },
      ],
    },
  },
  {
    // apps/console is a browser bundle: from the workspace libs it imports types only (erased by
    // the bundler), and values only from a browser-safe entry (`@turnpool/turn-store/web`: no
    // Redis, no Node module). A value import of another entry would put ioredis & co. in the page.
    basePath: import.meta.dirname, // as above: also when linted from apps/console
    files: ['apps/console/src/**/*.ts', 'apps/console/src/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^@turnpool/(?!turn-store/web$)',
              allowTypeImports: true,
              message: 'The console page imports types from the workspace libs, values only from @turnpool/turn-store/web.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests may start tools (the Bedrock emulator, test helpers) whatever their project's type.
    files: ['**/*.test.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          // Nx's project graph counts test-file imports as dependencies, so a nested check from a
          // test would see every tool other tests use (the emulator imports the runtime SDK).
          checkNestedExternalImports: false,
          checkDynamicDependenciesExceptions: lazyWhereItCounts,
          allow: [],
          depConstraints: depConstraints.map((c) =>
            c.onlyDependOnLibsWithTags
              ? { ...c, onlyDependOnLibsWithTags: [...c.onlyDependOnLibsWithTags, 'type:tool', 'type:util'] }
              : { ...c, notDependOnLibsWithTags: (c.notDependOnLibsWithTags ?? []).filter((t) => t !== 'type:tool') },
          ),
        },
      ],
    },
  },
  {
    // Every built package declares the runtime dependencies its shipped files import (at the
    // versions installed here) and nothing more: what makes the publishable ones installable.
    files: ['**/package.json'],
    languageOptions: { parser: jsoncParser },
    rules: {
      '@nx/dependency-checks': [
        'error',
        {
          buildTargets: ['build'],
          ignoredFiles: notShipped,
          checkMissingDependencies: true,
          checkObsoleteDependencies: true,
          checkVersionMismatches: true,
          includeTransitiveDependencies: false,
          // Only loaded from sources (dev, tests): the bin and the worker-thread entry register it then.
          ignoredDependencies: ['tsx'],
        },
      ],
    },
  },
  {
    // Per-project config files import the root config by path on purpose.
    files: ['**/eslint.config.mjs', '**/vitest.config.ts', 'vitest.shared.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
  {
    // Type-aware rules for promises. Only the sources (src/**, which every project's tsconfig.json
    // includes): the per-project vitest.config.ts files are in no tsconfig, and the project
    // service would have to build a default program for each of them.
    files: ['**/src/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // A promise nobody awaits loses its rejection (or crashes the process on an
      // unhandled rejection). Await it, or `void` it when fire-and-forget is meant AND it
      // handles its own rejection (a .catch that logs or says why it is ignored).
      '@typescript-eslint/no-floating-promises': 'error',
      // Default options (checksVoidReturn on everywhere): Fastify's route handler and hook types
      // accept a returned promise, and no event listener here is async, so nothing needs an
      // exception. A callback typed `=> void` that gets a promise (or a thenable such as a
      // Fastify reply) fails: its rejection would go nowhere.
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-console': 'off',
      '@typescript-eslint/no-empty-function': 'off',
    },
  },
];
