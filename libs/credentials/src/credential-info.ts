/** Where the AWS credentials for Bedrock come from, in the order turnpool checks them. */
export type CredentialSource = 'bearer-token' | 'static-keys' | 'profile' | 'default-chain' | 'container' | 'instance-role' | 'none';

/**
 * What `detectCredentials` found. Holds no secret: the clients read the secrets from the
 * environment themselves (`createBedrockClients`), so this object is safe to log or print.
 */
export interface CredentialInfo {
  source: CredentialSource;
  /** True when some source applies (discovery's `enabled: undefined` means "on when present"). */
  present: boolean;
  /** The profile name for `profile` (also `default` for a default-chain shared-file profile). */
  profile?: string;
  /** First 16 hex chars of sha256 over non-secret identity (key id, profile, role, token hash). */
  identityHash: string;
  /** A short human description of what was found, e.g. `AWS_ACCESS_KEY_ID AKIA…(20 chars)`; never a secret. */
  detail: string;
  /** Things a person may want to know (an ignored half-set variable, a skipped probe). */
  notes: string[];
}
