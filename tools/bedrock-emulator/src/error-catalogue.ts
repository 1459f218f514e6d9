/** Every error the emulator can answer before a stream starts: HTTP status and a message like Bedrock's (bedrock-runtime's error table). */
export const preStreamErrors = {
  ValidationException: { status: 400, message: 'The provided model identifier is invalid.' },
  AccessDeniedException: { status: 403, message: "You don't have access to the model with the specified model ID." },
  ResourceNotFoundException: { status: 404, message: 'Model not found.' },
  ModelTimeoutException: { status: 408, message: 'Model has timed out in processing the request. Try your request again.' },
  ModelErrorException: { status: 424, message: 'The model returned an error. Try your request again.' },
  ModelStreamErrorException: { status: 424, message: 'The model stream returned an error.' },
  ThrottlingException: { status: 429, message: 'Too many requests, please wait before trying again.' },
  ModelNotReadyException: { status: 429, message: 'Model is not ready to serve inference requests. Try your request again.' },
  InternalServerException: {
    status: 500,
    message: 'The system encountered an unexpected error during processing. Try your request again.',
  },
  ServiceUnavailableException: { status: 503, message: 'Bedrock is unable to process your request.' },
  ServiceQuotaExceededException: { status: 400, message: 'Your request exceeds the service quota for your account.' },
  ConflictException: { status: 400, message: 'The request conflicts with the current state of the resource.' },
  SerializationException: { status: 400, message: 'The request body could not be parsed as JSON.' },
  UnknownOperationException: { status: 404, message: 'Unknown operation.' },
} as const;

export type PreStreamErrorName = keyof typeof preStreamErrors;

/**
 * The 429 ThrottlingException message per quota that refused a call, as real Bedrock words them
 * (the per-day one as reported by users hitting "Tokens per day").
 */
export const throttlingMessages = {
  rpm: 'Too many requests, please wait before trying again.',
  tpm: 'Too many tokens, please wait before trying again.',
  daily: 'Too many tokens per day, please wait before trying again.',
} as const;

/** The five exceptions the ConverseStream union can carry, by shape name -> lowerCamel member name (its in-stream exception members). */
export const inStreamExceptions = {
  ModelStreamErrorException: { member: 'modelStreamErrorException', message: 'The model stream returned an error.' },
  ThrottlingException: { member: 'throttlingException', message: 'Too many tokens, please wait before trying again.' },
  ValidationException: { member: 'validationException', message: 'The model produced output that failed validation.' },
  InternalServerException: {
    member: 'internalServerException',
    message: 'The system encountered an unexpected error during processing. Try your request again.',
  },
  ServiceUnavailableException: { member: 'serviceUnavailableException', message: 'Bedrock is unable to process your request.' },
} as const;

export type InStreamExceptionName = keyof typeof inStreamExceptions;

export function isPreStreamErrorName(v: string): v is PreStreamErrorName {
  return Object.hasOwn(preStreamErrors, v);
}

export function isInStreamExceptionName(v: string): v is InStreamExceptionName {
  return Object.hasOwn(inStreamExceptions, v);
}
