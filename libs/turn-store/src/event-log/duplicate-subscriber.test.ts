import { describe, expect, it } from 'vitest';
import { Cluster } from 'ioredis';
import { duplicateSubscriber } from './duplicate-subscriber.ts';

describe('duplicateSubscriber', () => {
  it("on a Cluster, an 'error' event (a sharded subscriber that cannot connect) does not throw", () => {
    // ioredis emits 'subscriberConnectFailed' as a plain emit('error') on the Cluster: without a
    // listener that throws out of a timer and kills the process (seen: the dispatcher, kill -9 of a master).
    const cluster = new Cluster([{ host: '127.0.0.1', port: 1 }], { lazyConnect: true });
    const sub = duplicateSubscriber(cluster, { lazy: true });
    try {
      expect(() => sub.emit('error', new Error('Connection is closed.'))).not.toThrow();
    } finally {
      sub.disconnect();
      cluster.disconnect();
    }
  });
});
