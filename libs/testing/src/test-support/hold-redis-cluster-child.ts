// A child process for start-redis-cluster.integration.test.ts: starts a cluster, prints its
// ports, then waits to be killed (kill -9: the test checks the nodes die with it).
import { startRedisCluster } from '../start-redis-cluster.ts';

const cluster = await startRedisCluster();
process.stdout.write(`PORTS ${cluster.nodes.map((n) => n.port).join(',')}\n`);
setInterval(() => {}, 60_000);
