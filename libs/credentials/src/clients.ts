// `@turnpool/credentials/clients`: what builds the Bedrock SDK clients. Apart from the package's
// main entry (detection, region, hashes: plain Node) because importing it loads the AWS SDK
// (client-bedrock, client-bedrock-runtime, credential providers: the largest part of a start),
// which a process should pay only where it calls Bedrock — the worker threads, the dispatcher's
// token counter, discovery — never the worker host's main thread (docs/architecture.md).
export { createBedrockClients, type BedrockClients, type CreateBedrockClientsOptions } from './create-bedrock-clients.ts';
export { SharedSessionHttp2Handler } from './shared-session-http2-handler.ts';
