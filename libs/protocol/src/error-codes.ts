/** One entry of the error catalogue. */
export interface ErrorCodeInfo {
  /** HTTP status the dispatcher answers with when this error ends a request. */
  readonly status: number;
  /** Whether trying the same turn again later may succeed. */
  readonly retryable: boolean;
  /** The default message: what happened and what to do. */
  readonly message: string;
}

/**
 * The error catalogue: every failure turnpool reports has one of these stable codes.
 * Codes never change meaning; new ones may be added. Documented as a table in docs/protocol.md.
 */
export const errorCodes = {
  invalid_request: { status: 400, retryable: false, message: 'The request is not valid.' },
  payload_too_large: { status: 413, retryable: false, message: 'The request is larger than allowed.' },
  unsupported_input: {
    status: 422,
    retryable: false,
    message: 'The model does not accept this kind of input (for example an image sent to a text-only model).',
  },
  model_not_found: { status: 404, retryable: false, message: 'No such model. Run `turnpool models list` for the models you can use.' },
  model_unavailable: {
    status: 422,
    retryable: false,
    message:
      'The model is known but was marked unavailable after a call was denied; it is refused until the mark expires (catalog.unavailableTtlSeconds, 300 s by default) or `turnpool models refresh` clears it.',
  },
  model_access_denied: {
    status: 403,
    retryable: false,
    message:
      'Access to the model was denied. The caller needs the IAM permission bedrock:InvokeModelWithResponseStream, and model access must be enabled in the Amazon Bedrock console (Model access).',
  },
  model_not_streaming: { status: 422, retryable: false, message: 'The model does not support streaming (ConverseStream).' },
  on_demand_not_supported: {
    status: 400,
    retryable: false,
    message: 'This model cannot be invoked on demand by its model id; use an inference profile id instead.',
  },
  context_overflow: {
    status: 400,
    retryable: false,
    message: "The conversation is longer than the model's context window; shorten or compact it.",
  },
  credentials_invalid: {
    status: 502,
    retryable: false,
    message: 'Bedrock rejected the AWS credentials (missing, invalid or expired); check the credential source with `turnpool credentials`.',
  },
  rate_limited: { status: 429, retryable: true, message: 'Bedrock is throttling requests; try again later.' },
  quota_exceeded: {
    status: 429,
    retryable: false,
    message:
      'An Amazon Bedrock service quota of this AWS account was exceeded; retrying does not help until the quota is raised. ' +
      'Request an increase in the Service Quotas console (AWS services > Amazon Bedrock, service code bedrock) for this region.',
  },
  upstream_unavailable: {
    status: 502,
    retryable: true,
    message: 'Bedrock is temporarily unavailable or failed while streaming; try again.',
  },
  first_chunk_timeout: { status: 504, retryable: true, message: 'Bedrock sent nothing before the first-chunk timeout.' },
  idle_timeout: { status: 504, retryable: true, message: 'The Bedrock stream stalled longer than the idle timeout.' },
  turn_timeout: { status: 504, retryable: false, message: 'The turn ran longer than the whole-turn deadline.' },
  cancelled: { status: 409, retryable: false, message: 'The turn was cancelled.' },
  worker_lost: {
    status: 500,
    retryable: true,
    message: 'The worker running the turn stopped and the turn ran out of attempts.',
  },
  unauthorized: { status: 401, retryable: false, message: 'Missing or invalid API key.' },
  forbidden: { status: 403, retryable: false, message: 'This API key may not do this (a read-only key cannot submit or cancel turns).' },
  duplicate_turn: {
    status: 409,
    retryable: false,
    message: 'A turn with this id (or Idempotency-Key) already exists with a different request.',
  },
  turn_not_found: { status: 404, retryable: false, message: 'No such turn (it may have expired).' },
  turn_finished: { status: 409, retryable: false, message: 'The turn has already finished.' },
  not_found: { status: 404, retryable: false, message: 'No such route.' },
  service_unavailable: {
    status: 503,
    retryable: true,
    message: 'turnpool cannot reach its queue or Redis right now; try again.',
  },
  internal: { status: 500, retryable: false, message: 'An internal error occurred.' },
} as const satisfies Record<string, ErrorCodeInfo>;

/** A stable error code from the catalogue. */
export type ErrorCode = keyof typeof errorCodes;

/** True when `code` is a catalogue code. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(errorCodes, code);
}
