import type { EmulatorResponse } from './http-types.ts';
import type { ResponsePlan } from './response-plan.ts';
import { destroyResponse } from './destroy-response.ts';

/** The Converse (non-streaming) answer: one JSON body with output.message, stopReason, usage and metrics; `cut` sends half the body, `reset` aborts. */
export function sendConverseResponse(
  res: EmulatorResponse,
  plan: ResponsePlan,
  opts: { cut: boolean; reset: boolean; startedAt: number; requestId: string },
): void {
  if (opts.reset) {
    destroyResponse(res);
    return;
  }
  const content = plan.blocks.map((b) => {
    if (b.type === 'reasoning') return { reasoningContent: { reasoningText: { text: b.text, signature: b.signature } } };
    if (b.type === 'redacted-reasoning') return { reasoningContent: { redactedContent: b.data } };
    if (b.type === 'text') return { text: b.text };
    return { toolUse: { toolUseId: b.toolUseId, name: b.name, input: b.input } };
  });
  const text = JSON.stringify({
    output: { message: { role: 'assistant', content } },
    stopReason: plan.stopReason,
    usage: plan.usage,
    metrics: { latencyMs: Date.now() - opts.startedAt },
    ...(plan.trace ? { trace: plan.trace } : {}),
  });
  res.writeHead(200, { 'content-type': 'application/json', 'x-amzn-requestid': opts.requestId });
  res.end(opts.cut ? text.slice(0, Math.floor(text.length / 2)) : text);
}
