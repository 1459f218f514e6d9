import { describe, expect, it } from 'vitest';
import { liveModelFigures, percentile } from './live-model-figures.ts';

describe('liveModelFigures', () => {
  it('nearest-rank percentiles', () => {
    const s = Array.from({ length: 100 }, (_, i) => i + 1);
    expect([percentile(s, 50), percentile(s, 95), percentile([7], 95), percentile([], 50)]).toEqual([50, 95, 7, null]);
  });

  it('sums admission figures over a model’s regions, adds the window, and marks unavailable models', () => {
    const models = liveModelFigures({
      windowMinutes: 2,
      minutes: [{ modelId: 'm1', turns: 4, outputTokens: 240, ttftMs: [10, 20, 30, 40] }],
      quotas: [
        { quotaKey: 'us-east-1/m1', inFlight: 2, waiting: 1, throttlesLastMinute: 3 },
        { quotaKey: 'us-west-2/m1', inFlight: 1, waiting: 0, throttlesLastMinute: 1 },
        { quotaKey: 'us-east-1/m2', inFlight: 0, waiting: 5, throttlesLastMinute: 0 },
      ],
      unavailable: ['m3'],
    });
    expect(models).toEqual([
      {
        modelId: 'm1',
        running: 3,
        waiting: 1,
        throttles: 4,
        ttftP50Ms: 20,
        ttftP95Ms: 40,
        outputTokensPerSecond: 2,
        turns: 4,
        unavailable: false,
      },
      {
        modelId: 'm2',
        running: 0,
        waiting: 5,
        throttles: 0,
        ttftP50Ms: null,
        ttftP95Ms: null,
        outputTokensPerSecond: 0,
        turns: 0,
        unavailable: false,
      },
      {
        modelId: 'm3',
        running: 0,
        waiting: 0,
        throttles: 0,
        ttftP50Ms: null,
        ttftP95Ms: null,
        outputTokensPerSecond: 0,
        turns: 0,
        unavailable: true,
      },
    ]);
  });
});
