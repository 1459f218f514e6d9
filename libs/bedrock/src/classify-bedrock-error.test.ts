import {
  AccessDeniedException,
  BedrockRuntimeServiceException,
  ConflictException,
  InternalServerException,
  ModelErrorException,
  ModelNotReadyException,
  ModelStreamErrorException,
  ModelTimeoutException,
  ResourceNotFoundException,
  ServiceQuotaExceededException,
  ServiceUnavailableException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-bedrock-runtime';
import { inStreamExceptions, preStreamErrors } from '@turnpool/bedrock-emulator';
import { TurnError } from '@turnpool/protocol';
import { userFacingTextProblems } from '@turnpool/testing';
import { describe, expect, it } from 'vitest';
import { classifyBedrockError } from './classify-bedrock-error.ts';

const meta = { $metadata: { httpStatusCode: 400, requestId: 'req-1' } };
const modelId = 'anthropic.claude-3-5-haiku-20241022-v1:0';

describe('classifyBedrockError', () => {
  it.each([
    [
      'ThrottlingException',
      new ThrottlingException({ message: 'Too many requests, please wait before trying again.', ...meta }),
      'rate_limited',
      true,
    ],
    ['ServiceQuotaExceededException', new ServiceQuotaExceededException({ message: 'quota', ...meta }), 'quota_exceeded', false],
    ['ModelNotReadyException', new ModelNotReadyException({ message: 'not ready', ...meta }), 'upstream_unavailable', true],
    [
      'ServiceUnavailableException',
      new ServiceUnavailableException({ message: 'Bedrock is unable to process your request.', ...meta }),
      'upstream_unavailable',
      true,
    ],
    [
      'InternalServerException',
      new InternalServerException({ message: 'The system encountered an unexpected error', ...meta }),
      'upstream_unavailable',
      true,
    ],
    [
      'ModelStreamErrorException',
      new ModelStreamErrorException({
        message: 'invalid sequence as part of ToolUse',
        originalStatusCode: 500,
        originalMessage: 'x',
        ...meta,
      }),
      'upstream_unavailable',
      true,
    ],
    ['ModelTimeoutException', new ModelTimeoutException({ message: 'Model has timed out', ...meta }), 'upstream_unavailable', true],
    ['ModelErrorException', new ModelErrorException({ message: 'model error', ...meta }), 'upstream_unavailable', true],
    ['ValidationException', new ValidationException({ message: 'messages.0.content.0: blank text', ...meta }), 'invalid_request', false],
    [
      'AccessDeniedException',
      new AccessDeniedException({ message: "You don't have access to the model with the specified model ID.", ...meta }),
      'model_access_denied',
      false,
    ],
    ['ResourceNotFoundException', new ResourceNotFoundException({ message: 'Model not found.', ...meta }), 'model_not_found', false],
    ['ConflictException', new ConflictException({ message: 'conflict', ...meta }), 'internal', false],
  ] as const)('maps %s', (_name, err, code, retryable) => {
    const e = classifyBedrockError(err, { modelId });
    expect(e).toBeInstanceOf(TurnError);
    expect({ code: e.code, retryable: e.retryable }).toEqual({ code, retryable });
    expect(e.details).toMatchObject({ name: err.name, requestId: 'req-1' });
    expect(e.cause).toBe(err);
  });

  it('ServiceQuotaExceededException is an account quota: quota_exceeded, not retried, saying how to raise it', () => {
    const e = classifyBedrockError(
      new ServiceQuotaExceededException({ message: 'Your request exceeds the service quota for your account.', ...meta }),
      { modelId },
    );
    expect({ code: e.code, retryable: e.retryable }).toEqual({ code: 'quota_exceeded', retryable: false });
    expect(e.message).toContain(modelId);
    expect(e.message).toContain('Your request exceeds the service quota for your account.');
    expect(e.message).toContain('Service Quotas console');
    expect(e.message).toContain('service code bedrock');
  });

  it("never composes a doubled period (and spells the provider one way), whatever Bedrock's own message ends with", () => {
    const texts: string[] = [...Object.values(preStreamErrors), ...Object.values(inStreamExceptions)].map((x) => x.message);
    texts.push('socket hang up', 'Input is too long for requested model.', 'Model not found', '');
    const names = [...Object.keys(preStreamErrors), 'ECONNRESET', 'TimeoutError', 'ExpiredTokenException', 'SomethingNew'];
    for (const name of names) {
      for (const message of texts) {
        for (const status of [400, 429, 500]) {
          const err = Object.assign(new Error(message), { name, $metadata: { httpStatusCode: status } });
          const e = classifyBedrockError(err, { modelId });
          expect({ name, message, problems: userFacingTextProblems(e.message) }).toEqual({ name, message, problems: [] });
          expect(e.message, `${name}: ${message}`).toMatch(/[.!?]$/);
        }
      }
    }
  });

  it('names the IAM permission and the console step for AccessDenied', () => {
    const e = classifyBedrockError(
      new AccessDeniedException({ message: "You don't have access to the model with the specified model ID.", ...meta }),
      { modelId },
    );
    expect(e.message).toContain('bedrock:InvokeModelWithResponseStream');
    expect(e.message).toContain('Model access');
    expect(e.message).toContain(modelId);
  });

  it('maps the on-demand ValidationException (typographic apostrophe) to on_demand_not_supported naming the profile', () => {
    const message = `Invocation of model ID ${modelId} with on-demand throughput isn\u2019t supported. Retry your request with the ID or ARN of an inference profile that contains this model.`;
    const e = classifyBedrockError(new ValidationException({ message, ...meta }), {
      modelId,
      profileCandidates: ['us.' + modelId, 'global.' + modelId],
    });
    expect({ code: e.code, retryable: e.retryable }).toEqual({ code: 'on_demand_not_supported', retryable: false });
    expect(e.message).toContain(`"us.${modelId}"`);
    expect(e.message).toContain(`amazon-bedrock/us.${modelId}`);
  });

  it.each([
    "This model doesn't support documents.",
    "This model doesn't support the document content block that you provided. Try again with a supported model.",
    'The model returned the following errors: Documents are not supported by this model.',
    "This model doesn't support the image content block that you provided.",
  ])('maps a ValidationException refusing an input kind (%s) to unsupported_input naming the model', (message) => {
    const e = classifyBedrockError(new ValidationException({ message, ...meta }), { modelId: 'newco.chat-v1:0' });
    expect({ code: e.code, retryable: e.retryable, status: e.status }).toEqual({
      code: 'unsupported_input',
      retryable: false,
      status: 422,
    });
    expect(e.message).toContain('newco.chat-v1:0');
    expect(e.message).toContain(message);
    expect(e.message).toContain('turnpool models list');
  });

  it('matches the on-demand text loosely (straight apostrophe, "is not") and works without candidates', () => {
    for (const text of ["with on-demand throughput isn't supported.", 'with on-demand throughput is not supported']) {
      const e = classifyBedrockError(new ValidationException({ message: text, ...meta }), { modelId });
      expect(e.code).toBe('on_demand_not_supported');
      expect(e.message).toContain('inference profile');
    }
  });

  it.each([
    'Input is too long for requested model.',
    'prompt is too long: 210000 tokens > 200000 maximum',
    "This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens.",
    'Input Tokens Exceeded: Number of input tokens exceeds maximum length',
  ])('maps a context overflow ValidationException: %s', (message) => {
    expect(classifyBedrockError(new ValidationException({ message, ...meta })).code).toBe('context_overflow');
  });

  it('maps an invalid model identifier to model_not_found', () => {
    expect(classifyBedrockError(new ValidationException({ message: 'The provided model identifier is invalid.', ...meta })).code).toBe(
      'model_not_found',
    );
  });

  it('maps network and timeout errors to upstream_unavailable', () => {
    const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    const timeout = Object.assign(new Error('Connection timed out after 1000 ms'), { name: 'TimeoutError' });
    const truncated = new Error('Truncated event message received.');
    const h2 = Object.assign(new Error('Stream closed with error code NGHTTP2_INTERNAL_ERROR'), { code: 'ERR_HTTP2_STREAM_ERROR' });
    for (const err of [reset, timeout, truncated, h2]) {
      const e = classifyBedrockError(err);
      expect({ code: e.code, retryable: e.retryable }).toEqual({ code: 'upstream_unavailable', retryable: true });
    }
  });

  it('maps an unmodeled error frame and unknown server faults to upstream_unavailable, HTTP 429 to rate_limited', () => {
    expect(classifyBedrockError(Object.assign(new Error('x'), { name: 'InternalFailure' })).code).toBe('upstream_unavailable');
    const unknownServer = new BedrockRuntimeServiceException({
      name: 'WeirdException',
      $fault: 'server',
      $metadata: { httpStatusCode: 500 },
      message: 'x',
    });
    expect(classifyBedrockError(unknownServer).code).toBe('upstream_unavailable');
    const unknown429 = new BedrockRuntimeServiceException({
      name: 'Other',
      $fault: 'client',
      $metadata: { httpStatusCode: 429 },
      message: 'x',
    });
    expect(classifyBedrockError(unknown429).code).toBe('rate_limited');
  });

  it('maps credential failures to credentials_invalid', () => {
    for (const name of ['UnrecognizedClientException', 'InvalidSignatureException', 'ExpiredTokenException', 'CredentialsProviderError']) {
      expect(classifyBedrockError(Object.assign(new Error('bad'), { name })).code).toBe('credentials_invalid');
    }
  });

  it('maps an abort to cancelled, or to the watchdog error given as the abort reason', () => {
    const abort = Object.assign(new Error('aborted'), { name: 'AbortError' });
    expect(classifyBedrockError(abort).code).toBe('cancelled');
    const c = new AbortController();
    c.abort();
    expect(classifyBedrockError(new Error('whatever'), { signal: c.signal }).code).toBe('cancelled');
    const w = new AbortController();
    w.abort(new TurnError('first_chunk_timeout'));
    expect(classifyBedrockError(abort, { signal: w.signal }).code).toBe('first_chunk_timeout');
  });

  it('passes a TurnError through and turns anything else into internal', () => {
    const t = new TurnError('turn_timeout');
    expect(classifyBedrockError(t)).toBe(t);
    expect(classifyBedrockError(new TypeError('x is not a function')).code).toBe('internal');
    expect(classifyBedrockError('a string').code).toBe('internal');
    expect(classifyBedrockError(undefined).code).toBe('internal');
  });

  it('never lets credentials into the message', () => {
    const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
    const message = `The request signature we calculated does not match. Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/bedrock/aws4_request, Signature=abc123 secret ${secret} Bearer ABSKQmVkcm9ja0FQSUtleS1hYmM=`;
    const e = classifyBedrockError(new ValidationException({ message, ...meta }), { secrets: ['my-session-token-value'] });
    const out = JSON.stringify({ ...e.toJSON(), details: e.details });
    expect(out).not.toContain('AKIAIOSFODNN7EXAMPLE');
    expect(out).not.toContain(secret);
    expect(out).not.toContain('abc123');
    expect(out).not.toContain('ABSKQmVkcm9ja0FQSUtleS1hYmM=');
    const e2 = classifyBedrockError(new ThrottlingException({ message: 'token my-session-token-value leaked', ...meta }), {
      secrets: ['my-session-token-value'],
    });
    expect(e2.message).not.toContain('my-session-token-value');
  });
});
