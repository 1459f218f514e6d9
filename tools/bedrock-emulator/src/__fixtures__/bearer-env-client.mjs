// Child process for the bearer-token test: AWS_BEARER_TOKEN_BEDROCK comes from the environment only,
// there are no AWS keys, so only httpBearerAuth can succeed. Prints one JSON line.
import { BedrockRuntimeClient, ConverseCommand } from '@aws-sdk/client-bedrock-runtime';
import { BedrockClient, ListFoundationModelsCommand } from '@aws-sdk/client-bedrock';

const endpoint = process.argv[2];
const common = { endpoint, region: 'us-east-1', maxAttempts: 1 };
try {
  const runtime = new BedrockRuntimeClient(common);
  const out = await runtime.send(new ConverseCommand({ modelId: 'anthropic.claude-3-haiku-20240307-v1:0', messages: [{ role: 'user', content: [{ text: '[[say bearer ok]]' }] }] }));
  const control = new BedrockClient(common);
  const list = await control.send(new ListFoundationModelsCommand({}));
  process.stdout.write(JSON.stringify({ text: out.output?.message?.content?.[0]?.text, models: list.modelSummaries?.length }) + '\n');
} catch (err) {
  process.stdout.write(JSON.stringify({ error: err?.name, message: err?.message }) + '\n');
}
