// A gateway as a user writes it: plain JavaScript, the packed turnpool packages installed from
// their tarballs, no TypeScript and no tsx anywhere. Submits one turn and follows it to its end,
// printing every event as a JSON line. GATEWAY_IMPORT names the module (the package under test).
import { Redis } from 'ioredis';

const { createCatalogModelResolver, createTurnClient } = await import(process.env.GATEWAY_IMPORT);

const redis = new Redis(process.env.REDIS_URL);
const catalog = { list: async () => ({ entries: [{
  id: 'us.anthropic.claude-haiku-4-5-20251001-v1:0', name: 'Claude Haiku 4.5', provider: 'Anthropic', contextWindow: 200_000,
  maxTokens: 64_000, reasoning: true, input: ['text', 'image'], available: true,
  baseModelId: 'anthropic.claude-haiku-4-5-20251001-v1:0', supportsPromptCache: true, streaming: true }] }) };
const turns = createTurnClient({
  redis, keyPrefix: process.env.TURNPOOL_KEY_PREFIX,
  resolveModel: createCatalogModelResolver({ catalog, region: 'us-east-1', defaultModel: 'amazon-bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0' }),
});

const { turnId } = await turns.submitTurn({ messages: [{ role: 'user', content: 'Hello! [[tokens 6]]' }] });
process.stdout.write(`${JSON.stringify({ submitted: turnId })}\n`);
for await (const e of turns.subscribeTurn(turnId)) {
  process.stdout.write(`${JSON.stringify(e)}\n`);
}
await turns.close();
redis.disconnect();
