import { spawnSync } from 'node:child_process';
import path from 'node:path';

/** A self-signed certificate for 127.0.0.1, made by `openssl` at test time. */
export interface TestCert {
  certFile: string;
  keyFile: string;
}

/** Makes a self-signed cert (CN and SAN 127.0.0.1, 1 day) in `dir`; undefined (with the reason) when openssl is missing or fails. */
export function makeTestCert(dir: string): TestCert | { error: string } {
  const certFile = path.join(dir, 'redis-cert.pem');
  const keyFile = path.join(dir, 'redis-key.pem');
  const r = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
    ],
    { encoding: 'utf8', timeout: 30_000 },
  );
  if (r.error) return { error: `openssl not available (${r.error.message})` };
  if (r.status !== 0) return { error: `openssl failed: ${r.stderr.slice(0, 300)}` };
  return { certFile, keyFile };
}

/** Whether the installed redis-server was built with TLS: it refuses `--tls-port` otherwise. */
export function redisSupportsTls(cert: TestCert, port: number): { ok: true } | { ok: false; reason: string } {
  const r = spawnSync(
    process.env['REDIS_SERVER_BIN'] ?? 'redis-server',
    [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--tls-cert-file',
      cert.certFile,
      '--tls-key-file',
      cert.keyFile,
      '--tls-ca-cert-file',
      cert.certFile,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
    ],
    { encoding: 'utf8', timeout: 1500, killSignal: 'SIGKILL' },
  );
  // Still running at the timeout = it accepted the TLS options.
  if (r.error && (r.error as NodeJS.ErrnoException).code === 'ETIMEDOUT') return { ok: true };
  const out = `${r.stdout}${r.stderr}`;
  return {
    ok: false,
    reason: /tls/i.test(out)
      ? (out
          .split('\n')
          .find((l) => /tls/i.test(l))
          ?.trim() ?? out.slice(0, 200))
      : `redis-server exited (${r.status}): ${out.slice(0, 200)}`,
  };
}
