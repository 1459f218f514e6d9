import { describe, expect, it } from 'vitest';
import { TurnError } from '@turnpool/protocol';
import { DiscoveryError } from '@turnpool/discovery';
import { toApiError } from './api-error.ts';

describe('toApiError', () => {
  it('uses the catalogue status and body for a TurnError', () => {
    expect(toApiError(new TurnError('model_not_found', 'nope', { field: 'model' }))).toEqual({
      status: 404,
      body: { error: { code: 'model_not_found', message: 'nope', retryable: false, field: 'model' } },
    });
  });
  it('answers 503 for an unreadable catalog and for Redis being down', () => {
    expect(toApiError(new DiscoveryError('discovery_unavailable', 'Bedrock did not answer'))).toMatchObject({
      status: 503,
      body: { error: { code: 'service_unavailable', retryable: true } },
    });
    expect(toApiError(new Error('connect ECONNREFUSED 127.0.0.1:6379'))).toMatchObject({ status: 503 });
    // A Redis Cluster while a master fails over (chaos 10 saw submits answered 500 then).
    for (const msg of [
      'CLUSTERDOWN The cluster is down',
      'TRYAGAIN Multiple keys request during rehashing of slot',
      "READONLY You can't write against a read only replica.",
      'Too many Cluster redirections. Last error: Error: Connection is closed.',
      'Failed to refresh slots cache.',
      'LOADING Redis is loading the dataset in memory',
    ])
      expect(toApiError(new Error(msg)), msg).toMatchObject({ status: 503, body: { error: { code: 'service_unavailable' } } });
    expect(toApiError(new Error('ERR wrong number of arguments')).status).toBe(500);
  });
  it('never leaks the text of an unexpected error', () => {
    const r = toApiError(new Error('secret internals at /srv/app.js:12'));
    expect(r.status).toBe(500);
    expect(JSON.stringify(r.body)).not.toContain('secret internals');
  });
});
