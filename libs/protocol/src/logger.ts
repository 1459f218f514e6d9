/**
 * The logger every turnpool library and app takes as its `logger` option: the four pino methods
 * it calls, each as `(obj, msg?)` — pino itself (or a child of it) fits. Context travels in
 * `obj` (`turnId`, `jobId`, `model`), errors under `err`; no secret is ever put there.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}
