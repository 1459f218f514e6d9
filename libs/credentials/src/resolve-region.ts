import { awsFilePaths, nonEmpty } from './aws-file-paths.ts';
import { CredentialsError } from './credentials-error.ts';
import { profileSection, readAwsIniFile } from './read-aws-ini-file.ts';

export type RegionRule = 'config' | 'AWS_REGION' | 'AWS_DEFAULT_REGION' | 'profile' | 'default';

export interface ResolveRegionOptions {
  /** `models.bedrockDiscovery.region` from the config file. */
  configRegion?: string;
  /** @defaultValue process.env */
  env?: NodeJS.ProcessEnv;
  /**
   * The profile's region. When omitted it is read from the config file (AWS_CONFIG_FILE or
   * ~/.aws/config) for AWS_PROFILE, else `default` — only if no earlier rule decided.
   */
  profileRegion?: string;
  /** Home directory for ~/.aws/config. @defaultValue env.HOME, else os.homedir() */
  homeDir?: string;
}

/** Letters, digits and dashes, like `us-east-1`, `eu-central-2`, `us-gov-west-1`. */
const regionPattern = /^[a-z]{2,}(-[a-z0-9]+){1,4}$/;

/**
 * The Bedrock region and the rule that chose it: config > AWS_REGION > AWS_DEFAULT_REGION >
 * profile region > us-east-1. Both variables are read (tools that read only one of them leave
 * users guessing), and `turnpool credentials` prints which rule won. A malformed value throws, naming where it came from.
 */
export function resolveRegion(opts: ResolveRegionOptions = {}): { region: string; from: RegionRule } {
  const env = opts.env ?? process.env;
  const candidates: [RegionRule, () => string | undefined][] = [
    ['config', () => nonEmpty(opts.configRegion)],
    ['AWS_REGION', () => nonEmpty(env['AWS_REGION'])],
    ['AWS_DEFAULT_REGION', () => nonEmpty(env['AWS_DEFAULT_REGION'])],
    ['profile', () => nonEmpty(opts.profileRegion) ?? readProfileRegion(env, opts.homeDir)],
  ];
  for (const [from, get] of candidates) {
    const raw = get();
    if (raw === undefined) continue;
    const region = raw.trim();
    if (region.length > 40 || !regionPattern.test(region)) {
      const field = from === 'config' ? 'models.bedrockDiscovery.region' : from === 'profile' ? 'profile region' : from;
      throw new CredentialsError(
        'invalid_region',
        field,
        `${field} is not an AWS region name (expected something like us-east-1, got ${JSON.stringify(region.slice(0, 40))})`,
      );
    }
    return { region, from };
  }
  return { region: 'us-east-1', from: 'default' };
}

/** `region` of the AWS_PROFILE (or `default`) section of the shared config file, if any. */
export function readProfileRegion(env: NodeJS.ProcessEnv, homeDir?: string): string | undefined {
  const profile = nonEmpty(env['AWS_PROFILE']) ?? 'default';
  const file = awsFilePaths(env, homeDir).config;
  return nonEmpty(profileSection(readAwsIniFile(file), profile, 'config')?.get('region'));
}
