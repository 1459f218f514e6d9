/**
 * Environment for a child process that must find no AWS credentials and no Bedrock endpoint,
 * whatever the machine has: every source `detectCredentials` looks at is emptied or pointed at
 * nothing, and the IMDS probe is off.
 */
export const noAwsCredentialsEnv: Readonly<Record<string, string>> = {
  AWS_ACCESS_KEY_ID: '',
  AWS_SECRET_ACCESS_KEY: '',
  AWS_SESSION_TOKEN: '',
  AWS_PROFILE: '',
  AWS_BEARER_TOKEN_BEDROCK: '',
  AWS_WEB_IDENTITY_TOKEN_FILE: '',
  AWS_ROLE_ARN: '',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: '',
  AWS_CONTAINER_CREDENTIALS_FULL_URI: '',
  AWS_CONFIG_FILE: '/nonexistent/aws-config',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
  TURNPOOL_BEDROCK_ENDPOINT: '',
};
