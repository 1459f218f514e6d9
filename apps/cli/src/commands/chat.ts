import type { TurnEvent } from '@turnpool/protocol';
import type { CliIo } from '../cli-io.ts';
import type { Command } from '../command.ts';
import { ApiRequestError, apiRequest } from '../http/api-request.ts';
import { parseFlags } from '../parse-flags.ts';
import { UsageError } from '../usage-error.ts';
import { readSse } from '@turnpool/turn-store';

const help = `Usage: turnpool chat "<prompt>" [--model REF] [--system TEXT] [--url http://127.0.0.1:8787] [--api-key KEY]

Sends one turn to the dispatcher and streams the answer to the terminal: text as it arrives,
reasoning dimmed, tool calls shown, usage and cost at the end. REF is amazon-bedrock/<id>, a
model id, or a name from \`turnpool models list\`; without it the configured default is used.
The API key can also come from TURNPOOL_API_KEY.
`;

const dim = (tty: boolean, s: string) => (tty ? `\x1b[2m${s}\x1b[22m` : s);

/** Renders one event; returns the exit code when the turn ended. `toolBlocks` tracks open tool calls. */
export function renderEvent(e: TurnEvent, out: (s: string) => void, tty: boolean, toolBlocks = new Set<number>()): number | undefined {
  switch (e.type) {
    case 'text-delta':
      out(e.text);
      return undefined;
    case 'reasoning-delta':
      if (e.text) out(dim(tty, e.text));
      return undefined;
    case 'block-end':
      out(toolBlocks.delete(e.index) ? ')\n' : '\n');
      return undefined;
    case 'tool-call-start':
      toolBlocks.add(e.index);
      out(`⚙ ${e.name}(`);
      return undefined;
    case 'tool-input-delta':
      out(e.json);
      return undefined;
    case 'turn-retry':
      out(dim(tty, `\n[retrying: ${e.reason}]\n`));
      return undefined;
    case 'turn-end': {
      const u = e.usage;
      const cost = e.cost ? `$${e.cost.total.toFixed(6)}` : 'unknown (no price configured)';
      out(
        dim(
          tty,
          `\n[${e.stopReason.unified}] ${u.inputTokens} in / ${u.outputTokens} out tokens` +
            `${u.cacheReadInputTokens || u.cacheWriteInputTokens ? `, cache ${u.cacheReadInputTokens} read / ${u.cacheWriteInputTokens} written` : ''}` +
            ` · cost ${cost} · first token ${e.timings.ttftMs ?? '-'} ms, total ${e.timings.totalMs} ms\n`,
        ),
      );
      return 0;
    }
    case 'turn-error':
      out(`\nerror ${e.code}: ${e.message}${e.retryable ? ' (retryable)' : ''}\n`);
      return 1;
    case 'turn-cancelled':
      out(`\ncancelled by ${e.by}\n`);
      return 1;
    default:
      return undefined;
  }
}

/** Follows a turn's SSE stream, rendering each event; resumes from the last id if the connection drops. */
export async function followTurn(
  io: CliIo,
  base: string,
  turnId: string,
  apiKey: string | undefined,
  render: (e: TurnEvent) => number | undefined,
): Promise<number> {
  let last = 0;
  for (let tries = 0; tries < 5; tries++) {
    const res = await apiRequest(`${base}/v1/turns/${encodeURIComponent(turnId)}/events`, {
      apiKey,
      headers: last > 0 ? { 'last-event-id': String(last) } : {},
    });
    if (!res.body) break;
    for await (const frame of readSse(res.body)) {
      if (frame.event === 'stream-error') continue;
      const e = JSON.parse(frame.data) as TurnEvent;
      last = e.seq;
      const code = render(e);
      if (code !== undefined) return code;
    }
  }
  io.err('turnpool: the event stream ended before the turn did\n');
  return 1;
}

export const chatCommand: Command = {
  name: 'chat',
  summary: 'send one prompt to the dispatcher and stream the answer',
  help,
  async run(args, io) {
    const parsed = parseFlags(
      args,
      {
        model: { type: 'string' },
        system: { type: 'string' },
        url: { type: 'string' },
        'api-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      true,
    );
    const v = parsed.values;
    if (v.help) {
      io.out(help);
      return 0;
    }
    const prompt = parsed.positionals.join(' ');
    if (prompt.trim() === '') throw new UsageError('give a prompt, e.g. turnpool chat "hello"');
    const base = (v.url ?? io.env['TURNPOOL_URL'] ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
    if (!/^https?:\/\/[^\s/]+$/.test(base)) throw new UsageError('--url must be http(s)://host:port');
    const apiKey = v['api-key'] ?? io.env['TURNPOOL_API_KEY'];
    const body: Record<string, unknown> = { messages: [{ role: 'user', content: [{ text: prompt }] }] };
    if (v.model) body['model'] = v.model;
    if (v.system) body['system'] = v.system;
    const tty = process.stdout.isTTY === true && io.env['NO_COLOR'] === undefined;
    try {
      const res = await apiRequest(`${base}/v1/turns`, {
        method: 'POST',
        apiKey,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      const { turnId } = (await res.json()) as { turnId: string };
      const toolBlocks = new Set<number>();
      return await followTurn(io, base, turnId, apiKey, (e) => renderEvent(e, io.out, tty, toolBlocks));
    } catch (err) {
      if (err instanceof ApiRequestError) {
        io.err(`turnpool chat: ${err.code}${err.field ? ` (${err.field})` : ''}: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
