import pg from 'pg';
import { cutConnection, within } from './connection.js';
import type { ProbeOutcome } from './node-health.js';

/**
 * Role, and for a replica how far replay trails what it has received. A
 * replica that has replayed all it received is not behind, however long ago
 * its last transaction was (an idle primary sends none).
 */
const PROBE_SQL = `
  SELECT pg_is_in_recovery() AS in_recovery,
         pg_postmaster_start_time() AS started_at,
         CASE
           WHEN NOT pg_is_in_recovery() THEN NULL
           WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0
           ELSE coalesce(extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000, 0)
         END AS lag_ms`;

/** Asks one node what it is, over a session of its own kept between probes. */
export class NodeProbe {
  private client: pg.Client | undefined;

  constructor(
    private readonly url: string,
    private readonly timeoutMs: number,
  ) {}

  /**
   * Never throws: a failure (a timeout included) is an outcome, and drops the session.
   * A session kept from an earlier probe may have died since (a restart, a cut
   * connection) while the server is fine, so a failure on one is tried again on a new one.
   */
  async probe(): Promise<ProbeOutcome> {
    const deadline = performance.now() + this.timeoutMs;
    const reused = this.client !== undefined;
    const outcome = await this.attempt(this.timeoutMs);
    const left = deadline - performance.now();
    if (outcome.ok || !reused || left <= 0) return outcome;
    return this.attempt(left);
  }

  close(): void {
    const client = this.client;
    this.client = undefined;
    if (client) cutConnection(client);
  }

  private async attempt(timeoutMs: number): Promise<ProbeOutcome> {
    try {
      return await within(this.ask(), Math.ceil(timeoutMs), 'probe');
    } catch (error) {
      this.close();
      return { ok: false, error: (error as Error).message || String(error) };
    }
  }

  private async ask(): Promise<ProbeOutcome> {
    const client = this.client ?? (await this.connect());
    const started = performance.now();
    const { rows } = await client.query<{ in_recovery: boolean; started_at: Date; lag_ms: number | null }>(PROBE_SQL);
    const latencyMs = performance.now() - started;
    const row = rows[0]!;
    return {
      ok: true,
      role: row.in_recovery ? 'REPLICA' : 'LEADER',
      latencyMs,
      replicationLagMs: row.lag_ms === null ? null : Number(row.lag_ms),
      at: new Date(),
      startedAt: row.started_at,
    };
  }

  private async connect(): Promise<pg.Client> {
    const client = new pg.Client({
      connectionString: this.url,
      application_name: 'gater-probe',
      connectionTimeoutMillis: this.timeoutMs,
      keepAlive: true,
    });
    // A session that dies between probes reports here; the next probe finds out for itself.
    client.on('error', () => {
      if (this.client === client) this.close();
    });
    this.client = client;
    await client.connect();
    return client;
  }
}
