import { TurnError } from '@turnpool/protocol';

/**
 * Rewrites the field of an error turnpool's validation raised on a translated request into the
 * client's own path: `messages[i].content[j]…` through the conversation's origins, the other
 * fields through `prefixes` (`inferenceConfig.maxTokens` → `max_tokens`). The message's leading
 * path is rewritten the same way; errors without a field pass unchanged.
 */
export function mapErrorField(err: unknown, origins: readonly (readonly string[])[], prefixes: Readonly<Record<string, string>>): unknown {
  if (!(err instanceof TurnError) || err.field === undefined) return err;
  const mapped = mapField(err.field, origins, prefixes);
  if (mapped === err.field) return err;
  const message = err.message.startsWith(`${err.field}:`) ? `${mapped}:${err.message.slice(err.field.length + 1)}` : err.message;
  return new TurnError(err.code, message, { field: mapped, retryable: err.retryable, cause: err });
}

function mapField(field: string, origins: readonly (readonly string[])[], prefixes: Readonly<Record<string, string>>): string {
  const m = /^messages\[(\d+)\](?:\.content\[(\d+)\])?/.exec(field);
  if (m) {
    const message = origins[Number(m[1])];
    const origin = m[2] === undefined ? message?.[0]?.replace(/\.content.*$|\.tool_calls.*$/, '') : message?.[Number(m[2])];
    return origin ?? field;
  }
  let best = '';
  for (const prefix of Object.keys(prefixes)) {
    if ((field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`)) && prefix.length > best.length)
      best = prefix;
  }
  return best ? `${prefixes[best]}${field.slice(best.length)}` : field;
}
