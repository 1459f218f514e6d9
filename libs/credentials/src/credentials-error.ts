/** A credential or region input that cannot be used. `field` names the variable or file; the value never appears. */
export class CredentialsError extends Error {
  override readonly name = 'CredentialsError';
  readonly code: 'invalid_credentials' | 'invalid_region' | 'invalid_aws_config';
  readonly field: string;
  readonly retryable = false;

  constructor(code: CredentialsError['code'], field: string, message: string) {
    super(message);
    this.code = code;
    this.field = field;
  }
}
