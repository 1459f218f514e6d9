import type { ContentBlock } from './content-block-schema.ts';

/** Why the model stopped, unified across Bedrock's stop reasons. */
export type UnifiedStopReason =
  | 'end_turn' // the model finished its answer
  | 'tool_use' // the model wants tool results (the message ends with toolUse blocks)
  | 'max_tokens' // the output hit maxTokens
  | 'stop_sequence' // a stop sequence matched
  | 'content-filter' // a guardrail or content filter stopped it (guardrail_intervened, content_filtered)
  | 'context_window_exceeded' // the model's context window filled up (model_context_window_exceeded)
  | 'other'; // anything else (malformed_model_output, malformed_tool_use, unknown values)

/** Stop reason: the unified value and Bedrock's raw string. */
export interface StopReason {
  /** What callers branch on. */
  unified: UnifiedStopReason;
  /** Bedrock's `messageStop.stopReason` as sent (`''` if none arrived). */
  raw: string;
}

/** Token usage of one attempt, as Bedrock reports it (0 when not reported). */
export interface TurnUsage {
  /** Input tokens billed at the normal rate (excludes cache reads and writes). */
  inputTokens: number;
  /** Output tokens, reasoning included. */
  outputTokens: number;
  /** Bedrock's `totalTokens`. */
  totalTokens: number;
  /** Input tokens served from the prompt cache. */
  cacheReadInputTokens: number;
  /** Input tokens written to the prompt cache. */
  cacheWriteInputTokens: number;
}

/** Cost of one attempt in USD, computed from configured prices. */
export interface TurnCost {
  /** Cost of `inputTokens`. */
  input: number;
  /** Cost of `outputTokens`. */
  output: number;
  /** Cost of cache reads. */
  cacheRead: number;
  /** Cost of cache writes. */
  cacheWrite: number;
  /** Sum of the above. */
  total: number;
  /** Always USD. */
  currency: 'USD';
}

/** Timings of one attempt, in milliseconds. */
export interface TurnTimings {
  /** From sending the request to the first content delta; `null` when no content arrived. */
  ttftMs: number | null;
  /** From sending the request to the end of the stream. */
  totalMs: number;
}

/** The assistant message a turn produced, in the request's content-block shape (append it to `messages` for the next turn). */
export interface AssistantMessage {
  role: 'assistant';
  content: ContentBlock[];
}

/**
 * Bedrock's guardrail trace (`metadata.trace.guardrail`), passed on as Bedrock sent it. Present
 * only when the turn's guardrail has `trace: "enabled"` or `"enabled_full"`. It can hold the
 * text the guardrail assessed (`modelOutput`, and `match` strings of sensitive-information
 * filters): a gateway that forwards events to end users should strip it or keep trace off.
 */
export interface GuardrailTrace {
  /** The model output the guardrail assessed (before it was blocked or masked). */
  modelOutput?: string[];
  /** The input assessment, by guardrail id (topic, content, word, sensitive-information policies, invocation metrics). */
  inputAssessment?: Record<string, unknown>;
  /** The output assessments, by guardrail id. */
  outputAssessments?: Record<string, unknown[]>;
  /** Why the guardrail acted, in Bedrock's words. */
  actionReason?: string;
}

/** The result of a successful turn: the body of `turn-end` and the BullMQ job's return value. */
export interface TurnSummary {
  /** Why the model stopped. */
  stopReason: StopReason;
  /** The final assistant message; tool inputs parsed to objects. */
  message: AssistantMessage;
  /** Token usage. */
  usage: TurnUsage;
  /** Cost in USD, or `null` when no price is known for the model (never a made-up 0). */
  cost: TurnCost | null;
  /** Timings. */
  timings: TurnTimings;
  /** The guardrail's trace, when the turn had a guardrail with trace on and Bedrock sent one (see `stopReason` `content-filter`). */
  guardrailTrace?: GuardrailTrace;
}
