/**
 * One SSE frame: `id:` = the turn event's seq (what `Last-Event-ID` resumes from), optional
 * `event:`, one line of JSON data. Object data also carries the seq as `turnpool_seq`, because
 * the official clients hand the data to the caller but not the SSE id.
 */
export function sseFrame(seq: number | undefined, data: unknown, event?: string): string {
  const payload = typeof data === 'object' && data !== null && seq !== undefined ? { ...data, turnpool_seq: seq } : data;
  const json =
    typeof payload === 'string' ? payload : JSON.stringify(payload).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return `${event ? `event: ${event}\n` : ''}${seq === undefined ? '' : `id: ${seq}\n`}data: ${json}\n\n`;
}
