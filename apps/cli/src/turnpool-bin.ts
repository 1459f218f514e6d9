import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const packageJsonUrl = new URL('../package.json', import.meta.url);
const packageJson = JSON.parse(readFileSync(packageJsonUrl, 'utf8')) as { bin: { turnpool: string } };

/**
 * The file users run as `turnpool` (this package's `bin.turnpool`), for tests and harnesses that
 * start the CLI as a real child process (`spawnTurnpool` from libs/testing).
 */
export const turnpoolBin: string = fileURLToPath(new URL(packageJson.bin.turnpool, packageJsonUrl));
