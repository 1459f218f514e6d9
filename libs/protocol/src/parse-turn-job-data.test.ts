import { describe, expect, it } from 'vitest';
import { parseTurnJobData } from './parse-turn-job-data.ts';
import type { TurnJobData } from './turn-job-data.ts';

const job: TurnJobData = {
  turnId: 'turn-1',
  request: { messages: [{ role: 'user', content: [{ text: 'hi' }] }] },
  model: {
    ref: 'amazon-bedrock/amazon.nova-lite-v1:0', modelId: 'amazon.nova-lite-v1:0', baseModelId: 'amazon.nova-lite-v1:0',
    provider: 'amazon', region: 'us-east-1', contextWindow: 300000, maxTokens: 5000, reasoning: false, input: ['text'],
    supportsPromptCache: false, cost: { input: 0.06, output: 0.24 },
  },
  submittedAt: 1764017000000,
};

describe('parseTurnJobData', () => {
  it('accepts a job payload after a JSON round trip (Redis)', () => {
    expect(parseTurnJobData(JSON.parse(JSON.stringify(job)))).toEqual({ ok: true, value: job });
  });
  it('names the field of a bad payload', () => {
    const bad = { ...job, request: { messages: [{ role: 'bot', content: [{ text: 'x' }] }] } };
    const r = parseTurnJobData(bad);
    expect(r.ok ? undefined : r.error.field).toBe('request.messages[0].role');
    const r2 = parseTurnJobData({ ...job, model: { ...job.model, secretAccessKey: 'x' } });
    expect(r2.ok ? undefined : r2.error.field).toBe('model.secretAccessKey');
    const r3 = parseTurnJobData({ ...job, turnId: 'a:b' });
    expect(r3.ok ? undefined : r3.error.field).toBe('turnId');
  });
  it('never throws on garbage', () => {
    for (const v of [null, 1, 'x', [], { turnId: {} }]) expect(parseTurnJobData(v).ok).toBe(false);
  });
});
