import type { TurnEvent } from '@turnpool/protocol';

const base = { turnId: 't1', attempt: 1, ts: 1 };

/** A thinking + text + tool-call turn, as docs/protocol.md shows it (seq 1–11). */
export const toolTurnEvents: TurnEvent[] = [
  { ...base, seq: 1, type: 'turn-start', model: 'amazon-bedrock/m', modelId: 'us.m-v1:0', region: 'us-east-1', worker: 'w' },
  { ...base, seq: 2, type: 'reasoning-delta', index: 0, text: 'Let me think' },
  { ...base, seq: 3, type: 'reasoning-delta', index: 0, signature: 'sig' },
  { ...base, seq: 4, type: 'block-end', index: 0 },
  { ...base, seq: 5, type: 'text-delta', index: 1, text: 'Checking' },
  { ...base, seq: 6, type: 'block-end', index: 1 },
  { ...base, seq: 7, type: 'tool-call-start', index: 2, toolUseId: 'tu_1', name: 'get_weather' },
  { ...base, seq: 8, type: 'tool-input-delta', index: 2, json: '{"city":' },
  { ...base, seq: 9, type: 'tool-input-delta', index: 2, json: '"Paris"}' },
  { ...base, seq: 10, type: 'block-end', index: 2 },
  {
    ...base, seq: 11, type: 'turn-end', stopReason: { unified: 'tool_use', raw: 'tool_use' },
    message: { role: 'assistant', content: [
      { reasoning: { text: 'Let me think', signature: 'sig' } }, { text: 'Checking' },
      { toolUse: { toolUseId: 'tu_1', name: 'get_weather', input: { city: 'Paris' } } },
    ] },
    usage: { inputTokens: 12, outputTokens: 34, totalTokens: 46, cacheReadInputTokens: 2, cacheWriteInputTokens: 0 },
    cost: null, timings: { ttftMs: 1, totalMs: 2 },
  },
];
