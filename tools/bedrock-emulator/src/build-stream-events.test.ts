import { describe, expect, it } from 'vitest';
import { buildStreamEvents } from './build-stream-events.ts';
import { planResponse } from './plan-response.ts';

describe('buildStreamEvents output token counts', () => {
  it('add up to usage.outputTokens over reasoning, redacted reasoning, text and tool input of any chunking', () => {
    const text = '[[reasoning 7]] [[redacted-reasoning]] [[tokens 11]] [[tool a {"city":"Paris","days":[1,2,3]}]] [[tool b]]';
    for (const chunk of [1, 2, 3, 7]) {
      const plan = planResponse('amazon.nova-micro-v1:0', {
        messages: [{ role: 'user', content: [{ text: `${text} [[tokens-per-chunk ${chunk}]]` }] }],
      });
      const sum = buildStreamEvents(plan).reduce((n, s) => n + (s.outputTokens ?? 0), 0);
      expect(sum).toBe(plan.usage.outputTokens);
    }
  });
});
