/**
 * `text` ending in exactly one sentence end: a period is added unless it already ends in `.`,
 * `!`, `?` or `…` (an ellipsis `...` stays), and a doubled `..` becomes one. Trailing spaces go.
 */
export function endSentence(text: string): string {
  const t = text.trimEnd();
  if (t === '') return t;
  if (/[!?…]$|\.\.\.$/.test(t)) return t;
  return `${t.replace(/\.+$/, '')}.`;
}

/**
 * The one way turnpool composes a message out of parts it did not write itself: `head` (a
 * clause), then `: detail` when there is one (typically another system's text, which may or may
 * not end in a period), then whole sentences (what to do). Each sentence ends with exactly one
 * period, so composing a text that already ends in `.` never gives `..`:
 *
 *   composeMessage('Bedrock failed while serving m (ServiceUnavailableException)',
 *     'Bedrock is unable to process your request.', 'Try again.')
 *   // 'Bedrock failed while serving m (ServiceUnavailableException): Bedrock is unable to process your request. Try again.'
 */
export function composeMessage(head: string, detail?: string, ...sentences: string[]): string {
  const d = detail?.trim();
  const first = d ? `${head}: ${d}` : head;
  return [first, ...sentences]
    .filter((s) => s.trim() !== '')
    .map(endSentence)
    .join(' ');
}

/** `text` without its final period, for use inside a sentence (`(Model not found)`); `...` stays. */
export function withoutSentenceEnd(text: string): string {
  const t = text.trim();
  return /\.\.\.$/.test(t) ? t : t.replace(/\.+$/, '');
}
