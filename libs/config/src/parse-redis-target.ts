/** Where a process connects: one Redis node, or a Redis Cluster through its seed nodes. */
export type RedisTarget =
  | { kind: 'single'; url: string }
  | {
      kind: 'cluster';
      /** Seed nodes: any reachable one gives the whole topology (CLUSTER SLOTS). */
      nodes: { host: string; port: number }[];
      tls: boolean;
      username: string | undefined;
      password: string | undefined;
      /** Addresses the nodes announce → addresses this process reaches them at. */
      natMap: Record<string, { host: string; port: number }>;
      /**
       * `passthrough`: node hostnames go to the socket (and TLS's certificate check) as they are;
       * `system`: resolved first (ioredis' default). Default: passthrough with TLS (what
       * ElastiCache / MemoryDB need), system without.
       */
      dnsLookup: 'system' | 'passthrough';
    };

/** A config or option value that is not a Redis URL turnpool understands; the message says what is wrong. */
export class RedisUrlError extends Error {
  override readonly name = 'RedisUrlError';
}

const hostPort = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

function parseHostPort(text: string, what: string): { host: string; port: number } {
  const m = hostPort.exec(text);
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535) throw new RedisUrlError(`${what} "${text.slice(0, 100)}" is not host:port`);
  return { host: (m[1] ?? '').replace(/^\[|\]$/g, ''), port };
}

/**
 * Reads a Redis URL: `redis://` / `rediss://` is one node (unchanged, handed to ioredis as is);
 * `redis+cluster://` / `rediss+cluster://[user:password@]host:port[,host:port…][?natMap=…&dnsLookup=…]`
 * is a Redis Cluster, TLS with `rediss+cluster`. `natMap` is a comma-separated list of
 * `announced-host:port=reachable-host:port`; `dnsLookup` is `system` or `passthrough`.
 * @throws RedisUrlError saying what is wrong (never echoing a password).
 */
export function parseRedisTarget(url: string): RedisTarget {
  if (typeof url !== 'string' || url === '') throw new RedisUrlError('the Redis URL is empty');
  const scheme = /^([a-z+]+):\/\//.exec(url)?.[1];
  if (scheme === 'redis' || scheme === 'rediss') return { kind: 'single', url };
  if (scheme !== 'redis+cluster' && scheme !== 'rediss+cluster') {
    throw new RedisUrlError('the Redis URL must start with redis://, rediss://, redis+cluster:// or rediss+cluster://');
  }
  const rest = url.slice(scheme.length + 3);
  const [authority = '', query = ''] = splitOnce(rest, '?');
  const at = authority.lastIndexOf('@');
  const userInfo = at === -1 ? undefined : authority.slice(0, at);
  const hosts = (at === -1 ? authority : authority.slice(at + 1)).replace(/\/+$/, '');
  if (hosts.includes('/')) throw new RedisUrlError('a Redis Cluster has no database number: remove the /<db> from the URL');
  if (hosts === '') throw new RedisUrlError(`${scheme}:// needs at least one seed node host:port`);
  const nodes = hosts.split(',').map((h) => parseHostPort(h, 'seed node'));
  let username: string | undefined;
  let password: string | undefined;
  if (userInfo !== undefined) {
    const [u = '', p] = splitOnce(userInfo, ':');
    username = u === '' ? undefined : decodeURIComponent(u);
    password = p === undefined ? undefined : decodeURIComponent(p);
  }
  const tls = scheme === 'rediss+cluster';
  const natMap: Record<string, { host: string; port: number }> = {};
  let dnsLookup: 'system' | 'passthrough' = tls ? 'passthrough' : 'system';
  for (const param of query === '' ? [] : query.split('&')) {
    const [name = '', raw = ''] = splitOnce(param, '=');
    const value = decodeURIComponent(raw);
    if (name === 'natMap') {
      for (const pair of value.split(',').filter((p) => p !== '')) {
        const [from = '', to = ''] = splitOnce(pair, '=');
        parseHostPort(from, 'natMap address');
        natMap[from] = parseHostPort(to, 'natMap target');
      }
    } else if (name === 'dnsLookup') {
      if (value !== 'system' && value !== 'passthrough')
        throw new RedisUrlError(`dnsLookup must be system or passthrough, got "${value.slice(0, 40)}"`);
      dnsLookup = value;
    } else {
      throw new RedisUrlError(`unknown Redis Cluster URL parameter "${name.slice(0, 40)}" (known: natMap, dnsLookup)`);
    }
  }
  return { kind: 'cluster', nodes, tls, username, password, natMap, dnsLookup };
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const i = text.indexOf(sep);
  return i === -1 ? [text, undefined] : [text.slice(0, i), text.slice(i + 1)];
}

/**
 * What to tell the user about a failed Redis command, from its error message: a redis:// URL
 * that reached a Redis Cluster node fails with MOVED / ASK / CROSSSLOT / CLUSTERDOWN, or
 * EXECABORT when that was inside a MULTI — Redis is running, the URL is the wrong kind.
 */
export function redisFailureHint(message: string): string {
  if (/\b(MOVED|ASK|CROSSSLOT|CLUSTERDOWN|EXECABORT)\b/.test(message)) {
    return 'this looks like a Redis Cluster reached through a one-node redis:// URL: configure redis.url as redis+cluster://host:port[,host:port…] (docs/configuration.md, "Redis Cluster")';
  }
  return 'check redis.url / REDIS_URL and that Redis is running';
}
