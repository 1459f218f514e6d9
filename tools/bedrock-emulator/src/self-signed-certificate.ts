import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A certificate and its private key, PEM. */
export interface SelfSignedCertificate {
  /** The certificate; clients trust it as their CA (`ca` of the TLS options, or NODE_EXTRA_CA_CERTS). */
  cert: string;
  key: string;
}

/**
 * A fresh self-signed certificate for `localhost`, 127.0.0.1 and ::1 (P-256, valid one day), made
 * with the `openssl` CLI: Node has no certificate generator, and the CLI is on every machine that
 * runs the emulator (no npm package to pin). The key lives in a private temp dir only for the call.
 */
export async function selfSignedCertificate(extraHosts: readonly string[] = []): Promise<SelfSignedCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'bedrock-emulator-tls-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    const names = ['DNS:localhost', 'IP:127.0.0.1', 'IP:::1', ...extraHosts.map((h) => (/^[\d.]+$|:/.test(h) ? `IP:${h}` : `DNS:${h}`))];
    await promisify(execFile)(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        keyFile,
        '-out',
        certFile,
        '-days',
        '1',
        '-subj',
        '/CN=bedrock-emulator',
        '-addext',
        `subjectAltName=${[...new Set(names)].join(',')}`,
        '-addext',
        'basicConstraints=critical,CA:TRUE',
      ],
      { timeout: 20_000 },
    ).catch((err: NodeJS.ErrnoException) => {
      const why = err.code === 'ENOENT' ? 'the openssl CLI is not installed (apt-get install openssl)' : err.message;
      throw new Error(`bedrock-emulator: cannot make a TLS certificate: ${why}`, { cause: err });
    });
    return { cert: await readFile(certFile, 'utf8'), key: await readFile(keyFile, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
