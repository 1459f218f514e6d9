/**
 * The export condition under which every `@turnpool/*` package resolves to its TypeScript
 * sources (`./src/*.ts`) instead of its build (`./dist/*.js`). docs/development.md, "Sources or dist".
 */
export const sourceCondition = '@turnpool/source';

/**
 * Node flags for a child process that runs turnpool from its sources (tests, harnesses):
 * `node ...sourceExecArgv apps/cli/bin/turnpool.mjs` (the bin registers tsx itself).
 */
export const sourceExecArgv: readonly string[] = [`--conditions=${sourceCondition}`];

/** The same for a TypeScript entry file: `node ...tsxExecArgv child.ts`. */
export const tsxExecArgv: readonly string[] = [...sourceExecArgv, '--import', 'tsx'];
