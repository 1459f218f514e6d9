import os from 'node:os';
import path from 'node:path';

/** Where the SDK looks for the shared files, honouring AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE. */
export function awsFilePaths(env: NodeJS.ProcessEnv, homeDir?: string): { config: string; credentials: string } {
  const home = homeDir ?? nonEmpty(env['HOME']) ?? nonEmpty(env['USERPROFILE']) ?? os.homedir();
  return {
    config: nonEmpty(env['AWS_CONFIG_FILE']) ?? path.join(home, '.aws', 'config'),
    credentials: nonEmpty(env['AWS_SHARED_CREDENTIALS_FILE']) ?? path.join(home, '.aws', 'credentials'),
  };
}

/** An environment value, with empty / whitespace-only strings counted as unset. */
export function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
