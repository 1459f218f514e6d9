import type { PreStreamErrorName } from './error-catalogue.ts';

/** A request the emulator answers with a Bedrock error before any stream byte. */
export class InvocationError extends Error {
  override readonly name = 'InvocationError';
  constructor(
    readonly errorName: PreStreamErrorName,
    message?: string,
    readonly status?: number,
  ) {
    super(message ?? errorName);
  }
}
