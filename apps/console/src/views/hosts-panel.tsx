import type { HostHeartbeat } from '@turnpool/turn-store/client';
import { formatAge } from '../format.ts';

/** The worker hosts whose heartbeat is alive: a killed host drops out when its heartbeat expires. */
export function HostsPanel({ hosts, now }: { hosts: HostHeartbeat[] | null; now: number | null }) {
  return (
    <section aria-labelledby="hosts-title" class="panel">
      <h2 id="hosts-title">Hosts {hosts && <span class="count">({hosts.length})</span>}</h2>
      {hosts === null ? (
        <p class="empty">waiting for the feed…</p>
      ) : hosts.length === 0 ? (
        <p class="empty">no worker host alive</p>
      ) : (
        <table data-testid="hosts-table">
          <thead>
            <tr>
              <th scope="col">Host</th>
              <th scope="col">Turns running / max</th>
              <th scope="col">Threads</th>
              <th scope="col">Up</th>
              <th scope="col">Last beat</th>
              <th scope="col">Version</th>
            </tr>
          </thead>
          <tbody>
            {hosts.map((h) => (
              <tr key={h.hostId} data-host-id={h.hostId}>
                <td>{h.hostId}</td>
                <td>
                  {h.runningTurns} / {h.maxTurns}
                </td>
                <td>{h.threads}</td>
                <td>{formatAge((now ?? Date.now()) - h.startedAt)}</td>
                <td>{formatAge((now ?? Date.now()) - h.lastSeenAt)} ago</td>
                <td>{h.version}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
