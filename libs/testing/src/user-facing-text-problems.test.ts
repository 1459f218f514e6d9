import { describe, expect, it } from 'vitest';
import { userFacingTextProblems } from './user-facing-text-problems.ts';

describe('userFacingTextProblems', () => {
  it('accepts the allowed forms', () => {
    for (const ok of [
      'Amazon Bedrock takes no apiKey: it authenticates through the AWS credential chain.',
      'Bedrock failed while serving m (X): Bedrock is unable to process your request.',
      'set models.providers["amazon-bedrock"].models or models.providers.amazon-bedrock.baseUrl, or plugins.entries["amazon-bedrock"].',
      "use amazon-bedrock/us.anthropic.claude-haiku-4-5-20251001-v1:0, or ['amazon-bedrock'].",
      'Grant bedrock:InvokeModelWithResponseStream (service code bedrock, signing name "bedrock"); host bedrock-runtime.us-east-1.amazonaws.com, bedrock.us-east-1.amazonaws.com.',
      'probability 0..1; wait...',
      'models.bedrockDiscovery.enabled',
    ])
      expect({ ok, problems: userFacingTextProblems(ok) }).toEqual({ ok, problems: [] });
  });

  it('names each problem', () => {
    expect(userFacingTextProblems('Model "m" is unavailable: enable it under "Model access"..')).toEqual([
      expect.stringMatching(/^doubled period/),
    ]);
    expect(userFacingTextProblems('amazon-bedrock takes no apiKey')).toEqual([expect.stringMatching(/outside a config key or model ref/)]);
    expect(userFacingTextProblems('AWS Bedrock is down; amazon bedrock too')).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^provider spelled "AWS Bedrock"/),
        expect.stringMatching(/^provider spelled "amazon bedrock"/),
      ]),
    );
    expect(userFacingTextProblems('bedrock emulator: request failed')).toEqual([expect.stringMatching(/lowercase "bedrock"/)]);
  });
});
