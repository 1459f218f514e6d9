import { TurnError, composeMessage, withoutSentenceEnd } from '@turnpool/protocol';
import { redactSecrets } from './redact-secrets.ts';

/** Context for `classifyBedrockError`. */
export interface ClassifyContext {
  /** The model id that was called; named in messages. */
  modelId?: string;
  /**
   * Inference profile ids that contain the model (from the catalog), offered when Bedrock
   * says the model cannot be invoked on demand.
   * @defaultValue []
   */
  profileCandidates?: readonly string[];
  /**
   * The turn's abort signal. When it is aborted with a `TurnError` as its reason (a watchdog:
   * `first_chunk_timeout`, `idle_timeout`, `turn_timeout`), that error is the result;
   * otherwise an abort is `cancelled`.
   */
  signal?: AbortSignal;
  /** Strings that must never appear in a message (e.g. the configured credentials). @defaultValue [] */
  secrets?: readonly string[];
}

const rateLimited = new Set(['ThrottlingException', 'TooManyRequestsException']);
const unavailable = new Set([
  'ModelNotReadyException',
  'ServiceUnavailableException',
  'InternalServerException',
  'ModelStreamErrorException',
  'ModelTimeoutException',
  'ModelErrorException',
  'TimeoutError',
  'RequestTimeout',
  'RequestTimeoutException',
  'InternalFailure',
  'ServiceUnavailable',
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_HTTP2_STREAM_ERROR',
  'ERR_HTTP2_GOAWAY_SESSION',
  'ERR_HTTP2_SESSION_ERROR',
  'ERR_HTTP2_STREAM_CANCEL',
  'ERR_HTTP2_INVALID_SESSION',
  'ERR_STREAM_PREMATURE_CLOSE',
]);
const badCredentials = new Set([
  'UnrecognizedClientException',
  'InvalidSignatureException',
  'ExpiredTokenException',
  'ExpiredToken',
  'IncompleteSignature',
  'MissingAuthenticationToken',
  'CredentialsProviderError',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'TokenRefreshRequired',
]);

const contextOverflow =
  /input is too long|prompt is too long|too many input tokens|input tokens exceed|exceeds? (?:the )?(?:model'?s? )?(?:maximum|max)(?:imum)? (?:context|input|number of|length|tokens)|maximum context length|context (?:window|length) (?:exceeded|limit)|model_context_window_exceeded/i;
const onDemand = /on[- ]?demand throughput\s*(?:is\s*n.?t|is not|not)\s*supported/i;
const invalidModelId = /model identifier is invalid|model id is invalid|invalid model identifier/i;
const unsupportedInput =
  /(?:doesn.?t|does not|don.?t|do not) support (?:the )?(?:documents?|images?|videos?)|(?:documents?|images?|videos?)(?: content blocks?)? (?:is|are) not supported/i;

interface ErrorLike {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: unknown; requestId?: unknown };
}

/**
 * Maps any error from a Bedrock call — thrown by `send()`, thrown from the event stream, or
 * an in-stream exception member — to a `TurnError`, by the SDK error `name`:
 *
 * | name | code |
 * |---|---|
 * | ThrottlingException | `rate_limited` (retryable) |
 * | ServiceQuotaExceededException | `quota_exceeded` (not retryable: an account quota, not a momentary throttle) |
 * | ModelNotReady, ServiceUnavailable, InternalServer, ModelStreamError, ModelTimeout, ModelError, TimeoutError, network errors | `upstream_unavailable` (retryable) |
 * | ValidationException | `invalid_request`; `context_overflow`, `on_demand_not_supported` (names the profile), `model_not_found` (invalid model id), `unsupported_input` (the model refuses documents / images / video) |
 * | AccessDeniedException | `model_access_denied` (names the IAM permission and the console step) |
 * | ResourceNotFoundException | `model_not_found` |
 * | UnrecognizedClient, InvalidSignature, ExpiredToken, CredentialsProviderError | `credentials_invalid` |
 * | AbortError / aborted signal | `cancelled`, or the signal's `TurnError` reason |
 *
 * A `TurnError` passes through unchanged. Unknown errors: server faults and HTTP 5xx are
 * `upstream_unavailable`, HTTP 429 `rate_limited`, anything else `internal`. Messages are
 * passed through `redactSecrets`.
 */
export function classifyBedrockError(err: unknown, ctx: ClassifyContext = {}): TurnError {
  if (err instanceof TurnError) return err;
  const reason: unknown = ctx.signal?.aborted ? ctx.signal.reason : undefined;
  if (reason instanceof TurnError) return reason;

  const e: ErrorLike = typeof err === 'object' && err !== null ? (err as ErrorLike) : { message: String(err) };
  const name = typeof e.name === 'string' ? e.name : '';
  const code = typeof e.code === 'string' ? e.code : '';
  const upstream = redactSecrets(typeof e.message === 'string' ? e.message : '', ctx.secrets);
  const status = typeof e.$metadata?.httpStatusCode === 'number' ? e.$metadata.httpStatusCode : undefined;
  const details: Record<string, unknown> = { name: name || code || 'unknown' };
  if (status !== undefined) details['httpStatusCode'] = status;
  if (typeof e.$metadata?.requestId === 'string') details['requestId'] = e.$metadata.requestId;
  const model = ctx.modelId ?? 'the model';
  const opts = { details, cause: err };

  if (name === 'AbortError' || ctx.signal?.aborted) return new TurnError('cancelled', undefined, opts);
  if (name === 'ServiceQuotaExceededException') {
    return new TurnError(
      'quota_exceeded',
      composeMessage(
        `Bedrock refused the request for ${model} because a service quota of this AWS account was exceeded`,
        upstream,
        'Retrying does not help until the quota is raised: request an increase in the Service Quotas console ' +
          '(AWS services > Amazon Bedrock, service code bedrock) for this region, or lower the usage.',
      ),
      opts,
    );
  }
  if (rateLimited.has(name)) {
    return new TurnError('rate_limited', composeMessage(`Bedrock throttled the request for ${model}`, upstream), opts);
  }
  if (unavailable.has(name) || unavailable.has(code) || /truncated event message/i.test(upstream)) {
    return new TurnError('upstream_unavailable', composeMessage(`Bedrock failed while serving ${model} (${name || code})`, upstream), opts);
  }
  if (name === 'ValidationException') return classifyValidation(upstream, model, ctx, opts);
  if (name === 'AccessDeniedException') {
    return new TurnError(
      'model_access_denied',
      composeMessage(
        `Access denied to ${model}${upstream ? ` (${withoutSentenceEnd(upstream)})` : ''}`,
        undefined,
        'Grant the IAM permission bedrock:InvokeModelWithResponseStream for this model (and its inference profile), ' +
          'and enable access to the model in the Amazon Bedrock console under "Model access".',
      ),
      opts,
    );
  }
  if (name === 'ResourceNotFoundException') {
    return new TurnError(
      'model_not_found',
      composeMessage(
        `Bedrock does not know ${model}${upstream ? ` (${withoutSentenceEnd(upstream)})` : ''}`,
        undefined,
        'Run `turnpool models list` for the models you can use.',
      ),
      opts,
    );
  }
  if (badCredentials.has(name)) {
    return new TurnError(
      'credentials_invalid',
      `Bedrock rejected the AWS credentials (${name}); check the credential source with \`turnpool credentials\`.`,
      opts,
    );
  }
  if (e.$fault === 'server' || (status !== undefined && status >= 500)) {
    return new TurnError(
      'upstream_unavailable',
      composeMessage(`Bedrock failed while serving ${model} (${name || status})`, upstream),
      opts,
    );
  }
  if (status === 429) return new TurnError('rate_limited', composeMessage(`Bedrock throttled the request for ${model}`), opts);
  return new TurnError('internal', composeMessage(`Unexpected error calling Bedrock${name ? ` (${name})` : ''}`, upstream), opts);
}

function classifyValidation(
  upstream: string,
  model: string,
  ctx: ClassifyContext,
  opts: { details: Record<string, unknown>; cause: unknown },
): TurnError {
  if (onDemand.test(upstream)) {
    const candidates = ctx.profileCandidates ?? [];
    const use =
      candidates.length > 0
        ? `Use the inference profile ${candidates.map((c) => `"${c}"`).join(' or ')} instead (e.g. amazon-bedrock/${candidates[0]})`
        : 'Use an inference profile id that contains it instead (e.g. "us.<model id>"); `turnpool models list` shows them';
    return new TurnError('on_demand_not_supported', composeMessage(`${model} cannot be invoked on demand`, undefined, use), opts);
  }
  if (contextOverflow.test(upstream)) {
    return new TurnError(
      'context_overflow',
      composeMessage(`The conversation does not fit in the context window of ${model}`, upstream, 'Shorten or compact it.'),
      opts,
    );
  }
  if (unsupportedInput.test(upstream)) {
    return new TurnError(
      'unsupported_input',
      `Bedrock refused the input for ${model}: ${upstream} Send that content as text, or use a model that accepts it ` +
        "(`turnpool models list` shows each model's input).",
      opts,
    );
  }
  if (invalidModelId.test(upstream)) {
    return new TurnError(
      'model_not_found',
      composeMessage(`Bedrock does not accept the model id ${model}`, upstream, 'Run `turnpool models list` for the models you can use.'),
      opts,
    );
  }
  return new TurnError(
    'invalid_request',
    composeMessage(`Bedrock rejected the request for ${model}`, upstream || 'ValidationException'),
    opts,
  );
}
