/** A bad option or admin config patch. `field` names the key; `code` is stable for callers. */
export class EmulatorOptionsError extends Error {
  override readonly name = 'EmulatorOptionsError';
  readonly code = 'EMULATOR_INVALID_OPTION';
  readonly retryable = false;
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}
