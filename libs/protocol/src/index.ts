export { limits, turnIdPattern, toolNamePattern } from './limits.ts';
export { errorCodes, isErrorCode, type ErrorCode, type ErrorCodeInfo } from './error-codes.ts';
export type { TurnErrorData } from './turn-error-data.ts';
export type { ApiErrorBody } from './api-error-body.ts';
export { TurnError, type TurnErrorOptions } from './turn-error.ts';
export { turnErrorFromData } from './turn-error-from-data.ts';
export { composeMessage, endSentence, withoutSentenceEnd } from './compose-message.ts';
export { formatFieldPath } from './field-path.ts';
export { isBase64, decodedBase64Length } from './base64.ts';
export {
  contentBlockSchema,
  contentBlockKinds,
  imageSchema,
  documentSchema,
  toolUseSchema,
  toolResultSchema,
  toolResultContentSchema,
  reasoningSchema,
  jsonValueSchema,
  jsonObjectSchema,
  type ContentBlock,
  type ImageBlock,
  type DocumentBlock,
  type ToolUseBlock,
  type ToolResultBlock,
  type ToolResultContent,
  type ReasoningBlock,
} from './content-block-schema.ts';
export {
  turnRequestSchema,
  messageSchema,
  systemBlockSchema,
  toolSchema,
  toolChoiceSchema,
  reasoningConfigSchema,
  inferenceConfigSchema,
  metadataSchema,
  type TurnRequest,
  type TurnMessage,
  type ToolDefinition,
  type ToolChoice,
  type ReasoningConfig,
  type SystemBlock,
} from './turn-request-schema.ts';
export { parseTurnRequest, type ParseTurnRequestResult } from './parse-turn-request.ts';
export {
  guardrailConfigSchema,
  guardrailIdentifierPattern,
  guardrailVersionPattern,
  type GuardrailConfig,
} from './guardrail-config-schema.ts';
export { checkGuardrailOption } from './check-guardrail-option.ts';
export type {
  UnifiedStopReason,
  StopReason,
  TurnUsage,
  TurnCost,
  TurnTimings,
  AssistantMessage,
  TurnSummary,
  GuardrailTrace,
} from './turn-summary.ts';
export {
  type TurnEvent,
  type TurnEventType,
  type TurnEventBase,
  type TurnEventBody,
  type TerminalTurnEvent,
  type TurnStartEvent,
  type TextDeltaEvent,
  type ReasoningDeltaEvent,
  type ToolCallStartEvent,
  type ToolInputDeltaEvent,
  type BlockEndEvent,
  type TurnRetryEvent,
  type TurnEndEvent,
  type TurnErrorEvent,
  type TurnCancelledEvent,
} from './turn-event.ts';
export type { ResolvedModel } from './resolved-model.ts';
export type { Logger } from './logger.ts';
export { modelInputs, type ModelInput } from './model-input.ts';
export { modelPricesSchema, type ModelPrices } from './model-prices.ts';
export type { CatalogEntry } from './catalog-entry.ts';
export type { Catalog, CatalogSnapshot, FilteredModel, UnavailableMark } from './catalog.ts';
export type { TurnJobData } from './turn-job-data.ts';
export { checkModelInput } from './check-model-input.ts';
export { estimateInputTokens } from './estimate-input-tokens.ts';
