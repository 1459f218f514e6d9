/** The options a bench child got from its parent (BENCH_OPTS, JSON). */
export function childOpts<T>(): T {
  const raw = process.env['BENCH_OPTS'];
  if (raw === undefined) throw new Error('BENCH_OPTS is not set (bench children are started by tools/bench)');
  return JSON.parse(raw) as T;
}

/** Runs `close` on SIGTERM/SIGINT, then exits. */
export function onStop(close: () => Promise<void>): void {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`close failed: ${(err as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
