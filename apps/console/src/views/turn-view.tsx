import { useEffect, useState } from 'preact/hooks';
import { ApiError, apiFetch, apiJson } from '../api/api-fetch.ts';
import { readSse } from '../api/read-sse.ts';
import type { TerminalTurnEvent, TurnEvent } from '@turnpool/protocol';
import { isTerminalEvent } from '@turnpool/turn-store/web';
import type { ConsoleSummary, TurnInfo, TurnState } from '@turnpool/turn-store/client';
import { formatMs, formatNumber } from '../format.ts';
import { onLinkClick, overviewHref } from '../router.ts';
import { applyEvent, emptyOutput, type TurnOutput } from '../turn-output.ts';

/** Follows the turn's events: replayed from the first, then live; resumes after the last seq if the stream drops. */
function useTurnEvents(turnId: string, authGeneration: number): { output: TurnOutput; problem: string | null } {
  const [output, setOutput] = useState<TurnOutput>(emptyOutput);
  const [problem, setProblem] = useState<string | null>(null);
  useEffect(() => {
    setOutput(emptyOutput());
    const abort = new AbortController();
    let after = 0;
    let ended = false;
    const run = async () => {
      while (!abort.signal.aborted && !ended) {
        try {
          for await (const frame of readSse(`/v1/turns/${encodeURIComponent(turnId)}/events?after=${after}`, abort.signal)) {
            if (frame.event === 'stream-error') break;
            const e = JSON.parse(frame.data) as TurnEvent;
            after = Math.max(after, e.seq);
            setOutput((o) => applyEvent(o, e));
            if (isTerminalEvent(e)) ended = true;
          }
          setProblem(null);
        } catch (err) {
          if (abort.signal.aborted) return;
          setProblem(err instanceof Error ? err.message : String(err));
          if (err instanceof ApiError && (err.status === 401 || err.status === 404 || err.status === 400)) return;
        }
        if (!ended) await new Promise((r) => setTimeout(r, 1000));
      }
    };
    void run();
    return () => abort.abort();
  }, [turnId, authGeneration]);
  return { output, problem };
}

const terminalStates: Record<TerminalTurnEvent['type'], TurnState> = {
  'turn-end': 'succeeded',
  'turn-error': 'failed',
  'turn-cancelled': 'cancelled',
};

function Terminal({ e }: { e: TerminalTurnEvent }) {
  if (e.type === 'turn-end')
    return (
      <p class="terminal terminal-end" data-testid="terminal">
        turn-end: {e.stopReason.unified} · {formatNumber(e.usage.inputTokens)} in / {formatNumber(e.usage.outputTokens)} out · TTFT{' '}
        {formatMs(e.timings.ttftMs)} · total {formatMs(e.timings.totalMs)}
      </p>
    );
  if (e.type === 'turn-error')
    return (
      <p class="terminal terminal-error" data-testid="terminal">
        turn-error: {e.code} — {e.message}
      </p>
    );
  return (
    <p class="terminal terminal-cancelled" data-testid="terminal">
      turn-cancelled by {e.by}
    </p>
  );
}

/** One turn: its state, its events replayed then live, and a Cancel button while it runs. */
export function TurnView({ turnId, authGeneration, summary }: { turnId: string; authGeneration: number; summary: ConsoleSummary | null }) {
  const [info, setInfo] = useState<TurnInfo | null>(null);
  const [infoError, setInfoError] = useState<string | null>(null);
  const [cancelNote, setCancelNote] = useState<string | null>(null);
  const { output, problem } = useTurnEvents(turnId, authGeneration);
  const terminal = output.terminal;

  useEffect(() => {
    let live = true;
    apiJson<TurnInfo>(`/v1/turns/${encodeURIComponent(turnId)}`)
      .then((i) => live && (setInfo(i), setInfoError(null)))
      .catch((err: unknown) => live && setInfoError(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
    // Re-read when the turn ends (its final state) or the key changes.
  }, [turnId, authGeneration, terminal?.type]);

  const row = summary?.turns.find((t) => t.turnId === turnId);
  const state = terminal ? (info?.state ?? row?.state) : (row?.state ?? info?.state);
  const cancellable = !terminal && (state === 'queued' || state === 'running');

  const cancel = async () => {
    setCancelNote('cancelling…');
    try {
      const res = await apiFetch(`/v1/turns/${encodeURIComponent(turnId)}/cancel`, {
        method: 'POST',
        headers: { 'x-turnpool-actor': 'console' },
      });
      const body = (await res.json()) as Pick<TurnInfo, 'turnId' | 'state'>;
      setCancelNote(`cancel sent (turn was ${body.state})`);
    } catch (err) {
      setCancelNote(`cancel refused: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  return (
    <section aria-labelledby="turn-title" class="panel turn-view">
      <p>
        <a href={overviewHref()} onClick={(e) => onLinkClick(e, overviewHref())}>
          ← All turns
        </a>
      </p>
      <h2 id="turn-title">
        Turn <code>{turnId}</code>
      </h2>
      <dl class="counts">
        <div>
          <dt>state</dt>
          <dd data-testid="turn-state">{terminal ? terminalStates[terminal.type] : (state ?? '…')}</dd>
        </div>
        <div>
          <dt>model</dt>
          <dd>{info?.model?.modelId ?? row?.modelId ?? '—'}</dd>
        </div>
        <div>
          <dt>host</dt>
          <dd>{output.host ?? row?.hostId ?? '—'}</dd>
        </div>
        <div>
          <dt>submitted</dt>
          <dd>{info ? new Date(info.submittedAt).toLocaleTimeString() : '—'}</dd>
        </div>
        <div>
          <dt>events</dt>
          <dd>{output.lastSeq}</dd>
        </div>
      </dl>
      {cancellable && (
        <button type="button" class="danger" onClick={() => void cancel()}>
          Cancel turn
        </button>
      )}
      {cancelNote && (
        <p role="status" data-testid="cancel-note">
          {cancelNote}
        </p>
      )}
      {infoError && <p class="error">{infoError}</p>}
      {problem && <p class="error">events: {problem}</p>}
      <ol class="notes">
        {output.notes.map((n) => (
          <li key={n.seq}>{n.text}</li>
        ))}
      </ol>
      <div class="output" data-testid="turn-output" aria-live="polite">
        {output.blocks.map((b) =>
          b.kind === 'tool' ? (
            <div key={b.index} class="block tool">
              <span class="tool-name">tool call: {b.name}</span>
              <pre>{b.json}</pre>
            </div>
          ) : (
            <div key={b.index} class={`block ${b.kind}`} data-testid={`block-${b.kind}`}>
              {b.kind === 'reasoning' && <span class="label">reasoning{b.redacted ? ' (redacted)' : ''}</span>}
              <p>{b.text}</p>
            </div>
          ),
        )}
      </div>
      {terminal && <Terminal e={terminal} />}
    </section>
  );
}
