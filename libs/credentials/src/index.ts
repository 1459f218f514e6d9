export type { CredentialInfo, CredentialSource } from './credential-info.ts';
export { CredentialsError } from './credentials-error.ts';
export { detectCredentials, type DetectCredentialsOptions } from './detect-credentials.ts';
export { resolveRegion, readProfileRegion, type RegionRule, type ResolveRegionOptions } from './resolve-region.ts';
export { createBedrockClients, splitEndpoint, type BedrockClients, type CreateBedrockClientsOptions } from './create-bedrock-clients.ts';
export { SharedSessionHttp2Handler } from './shared-session-http2-handler.ts';
export { probeInstanceRole, imdsEndpoint, type ProbeInstanceRoleOptions } from './probe-instance-role.ts';
export { imdsProbeBackoffMs, imdsFirstRetryMs, imdsMaxRetryMs } from './imds-probe-backoff.ts';
export { hashIdentity } from './hash-identity.ts';
