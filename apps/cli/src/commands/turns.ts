import type { Command } from '../command.ts';
import { ApiRequestError } from '../http/api-request.ts';
import { parseFlags } from '../parse-flags.ts';
import { UsageError } from '../usage-error.ts';
import { followTurn } from './chat.ts';

const help = `Usage: turnpool turns tail <turnId> [--url http://127.0.0.1:8787] [--api-key KEY]

Prints every event of a turn as one JSON line each (from the start, then live), and exits
when the turn ends: 0 for turn-end, 1 for turn-error / turn-cancelled.
`;

export const turnsCommand: Command = {
  name: 'turns',
  summary: "follow a turn's events (turns tail <id>)",
  help,
  async run(args, io) {
    const parsed = parseFlags(
      args,
      { url: { type: 'string' }, 'api-key': { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      true,
    );
    if (parsed.values.help) {
      io.out(help);
      return 0;
    }
    const [sub, turnId, ...rest] = parsed.positionals;
    if (sub !== 'tail' || turnId === undefined || rest.length > 0) throw new UsageError('expected "tail <turnId>"');
    if (!/^[A-Za-z0-9._-]{1,128}$/.test(turnId)) throw new UsageError('turnId must be 1-128 characters [A-Za-z0-9._-]');
    const base = (parsed.values.url ?? io.env['TURNPOOL_URL'] ?? 'http://127.0.0.1:8787').replace(/\/+$/, '');
    try {
      return await followTurn(io, base, turnId, parsed.values['api-key'] ?? io.env['TURNPOOL_API_KEY'], (e) => {
        io.out(`${JSON.stringify(e)}\n`);
        if (e.type === 'turn-end') return 0;
        if (e.type === 'turn-error' || e.type === 'turn-cancelled') return 1;
        return undefined;
      });
    } catch (err) {
      if (err instanceof ApiRequestError) {
        io.err(`turnpool turns: ${err.code}: ${err.message}\n`);
        return 1;
      }
      throw err;
    }
  },
};
