/** One SSE frame: `id` (the turn event's seq, for resuming), optional `event`, one line of JSON data. */
export function sseFrame(seq: number | undefined, data: unknown, event?: string): string {
  const json = typeof data === 'string' ? data : JSON.stringify(data).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
  return `${event ? `event: ${event}\n` : ''}${seq === undefined ? '' : `id: ${seq}\n`}data: ${json}\n\n`;
}
