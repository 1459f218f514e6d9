export type { CredentialInfo, CredentialSource } from './credential-info.ts';
export { CredentialsError } from './credentials-error.ts';
export { detectCredentials, type DetectCredentialsOptions } from './detect-credentials.ts';
export { resolveRegion, readProfileRegion, type RegionRule, type ResolveRegionOptions } from './resolve-region.ts';
// The SDK clients (createBedrockClients, SharedSessionHttp2Handler) are `@turnpool/credentials/clients`:
// importing them loads the AWS SDK, which this entry does not.
export type { BedrockClients, CreateBedrockClientsOptions } from './create-bedrock-clients.ts';
export { bedrockEndpoints, splitEndpoint } from './split-endpoint.ts';
export { probeInstanceRole, imdsEndpoint, type ProbeInstanceRoleOptions } from './probe-instance-role.ts';
export { imdsProbeBackoffMs, imdsFirstRetryMs, imdsMaxRetryMs } from './imds-probe-backoff.ts';
export { hashIdentity } from './hash-identity.ts';
