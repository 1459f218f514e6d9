/**
 * The Redis that integration tests share. tools/setup puts it in REDIS_URL (the one
 * variable every test reads); running vitest by hand falls back to the usual local port.
 */
export function testRedisUrl(): string {
  return process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
}
