/** A report field read loosely (the reports are plain JSON objects). */
type R = Record<string, unknown>;
const num = (r: R, k: string) => (typeof r[k] === 'number' ? (r[k] as number) : Number.NaN);

/** The invariants each scenario promises; returns the broken ones (empty = pass). */
export function judgeReport(n: number, r: R): string[] {
  const bad: string[] = [];
  const need = (ok: boolean, what: string) => {
    if (!ok) bad.push(what);
  };
  if ('lost' in r) need(num(r, 'lost') === 0, `lost = ${String(r['lost'])}`);
  if ('unclean' in r) need(num(r, 'unclean') === 0, `unclean logs = ${String(r['unclean'])}`);
  if (n === 1) need(num(r, 'resumed') > 0, 'no turn resumed after a kill');
  if (n === 2) {
    for (const o of (r['outages'] as R[] | undefined) ?? []) {
      need(num(o, 'hangs') === 0, `${String(o['seconds'])}s outage: ${String(o['hangs'])} hung requests`);
      need(
        Object.keys((o['statusesDuringOutage'] as R | undefined) ?? {}).every((s) => s === '503'),
        `${String(o['seconds'])}s outage: answers other than 503`,
      );
      need(o['readyzRed'] === true, `${String(o['seconds'])}s outage: /readyz never red`);
      need(
        num(o, 'workersResumedAfterMs') >= 0 && num(o, 'workersResumedAfterMs') < 5000,
        `${String(o['seconds'])}s outage: workers resumed after ${String(o['workersResumedAfterMs'])} ms`,
      );
    }
  }
  if (n === 3) {
    for (const k of ['plain', 'exceptions', 'stalls']) need(num((r[k] as R | undefined) ?? {}, 'wrongCode') === 0, `${k}: wrong codes`);
    need(num(r, 'maxAttempts') <= 3, 'more attempts than the queue allows');
    need(num(r, 'converseStreamCalls') <= num(r, 'callBudget'), 'retry storm: more calls than the budget');
  }
  if (n === 4) {
    need(
      num(r, 'finishedOnStoppedHost') === num(r, 'turnsOnStoppedHost') && num(r, 'turnsOnStoppedHost') > 0,
      'turns on the stopped host did not all finish there',
    );
    need(r['exitCode'] === 0, `exit code ${String(r['exitCode'])}`);
    need(num(r, 'laterTurnsOnStoppedHost') === 0, 'new turns went to the stopping host');
    need(num(r, 'stalledRestarts') === 0, 'stalled jobs');
  }
  if (n === 5) for (const k of ['gaps', 'duplicates', 'mismatched']) need(num(r, k) === 0, `${k} = ${String(r[k])}`);
  if (n === 6) {
    need(num(r, 'unknownViolations') === 0, `${String(r['unknownViolations'])} new contract violations`);
    need(num(r, 'configViolations') === 0, `${String(r['configViolations'])} config loader violations`);
    need(r['processUp'] === true, 'dispatcher died');
  }
  if (n === 7) {
    const scan = (r['scan'] as R | undefined) ?? {};
    need(Array.isArray(scan['found']) && scan['found'].length === 0, `secrets found: ${JSON.stringify(scan['found'])}`);
    const acl = (r['acl'] as R | undefined) ?? {};
    need(Array.isArray(acl['deniedInAclLog']) && acl['deniedInAclLog'].length === 0, 'ACL denials');
    const api = (r['apiKeys'] as R | undefined) ?? {};
    need(num(api, 'unauthorized') === num(api, 'cases'), 'a bad API key was not a 401');
  }
  if (n === 9) {
    const after = (r['budgetAfter'] as R | undefined) ?? {};
    for (const k of ['inFlight', 'reservedTokens', 'waiting'])
      need(num(after, k) === 0, `budget leaked: ${k} = ${String(after[k])} after the run`);
    need(r['probeCompleted'] === true, 'no turn admitted after the restarts');
  }
  if (n === 10) {
    for (const k of ['gaps', 'duplicates', 'mismatched']) need(num(r, k) === 0, `subscribers: ${k} = ${String(r[k])}`);
    need(num(r, 'followedTurns') > 0, 'no turn followed live');
    const unexpected = (r['unexpectedErrors'] as string[] | undefined) ?? [];
    need(unexpected.length === 0, `the dispatcher logged unexpected errors: ${unexpected.join(' | ').slice(0, 1200)}`);
    const modes = ((r['phases'] as R[] | undefined) ?? []).map((p) => {
      need(num(p, 'turnsOnVictim') > 0, `${String(p['mode'])}: no turn on the failed-over master`);
      need(num(p, 'promotedAfterMs') >= 0, `${String(p['mode'])}: the replica never became a master`);
      need(num((p['writeStallMs'] as R | undefined) ?? {}, 'n') > 0, `${String(p['mode'])}: no turn was streaming on that master`);
      const statuses = (p['probeStatuses'] as R | undefined) ?? {};
      need(
        statuses['500'] === undefined,
        `${String(p['mode'])}: ${String(statuses['500'])} submits answered 500 (a failover must answer 503)`,
      );
      return p['mode'];
    });
    need(modes.includes('failover') && modes.includes('kill'), `phases run: ${JSON.stringify(modes)}`);
  }
  if (n === 8) for (const c of (r['cases'] as R[] | undefined) ?? []) need(c['refused'] === true, `not refused: ${String(c['name'])}`);
  return bad;
}
