import { afterEach, describe, expect, it } from 'vitest';
import { ClusterUnavailableError, createCluster, WriteOutcomeUnknownError, type Cluster } from '../../src/cluster/cluster.js';
import { pollUntil } from '../support/cluster-queries.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function clusterOn(options: { readTimeoutMs?: number; writeTimeoutMs?: number }): Promise<{ cluster: Cluster; db: TestDatabase }> {
  const db = await createTestDatabase();
  cleanups.push(() => db.drop());
  const cluster = createCluster({ urls: [db.url], embedded: false, log: () => undefined, ...options });
  cleanups.push(() => cluster.stop());
  await cluster.probed;
  return { cluster, db };
}

/** Statements of the cluster's pools still running pg_sleep on the server. */
async function sleepingStatements(cluster: Cluster): Promise<number> {
  const { rows } = await cluster.leader().query<{ count: number }>(
    "SELECT count(*)::int AS count FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'SELECT pg_sleep%' AND pid <> pg_backend_pid()",
  );
  return rows[0]!.count;
}

describe('the cluster bounds what it waits for', () => {
  it('ends a read at the read timeout with CLUSTER_UNAVAILABLE naming GATER_READ_TIMEOUT_MS', async () => {
    const { cluster } = await clusterOn({ readTimeoutMs: 200 });
    const read = cluster.read((db) => db.query('SELECT pg_sleep(5)'));
    await expect(read).rejects.toThrow(ClusterUnavailableError);
    await expect(read).rejects.toThrow(/GATER_READ_TIMEOUT_MS/);
  });

  it('answers a write past the write timeout WRITE_OUTCOME_UNKNOWN, and cancels its statement on the server', async () => {
    const { cluster } = await clusterOn({ writeTimeoutMs: 300 });
    // Answered long before the statement could end by itself: waiting for it, the test would time out first.
    await expect(cluster.write((db) => db.query('SELECT pg_sleep(30)'))).rejects.toThrow(WriteOutcomeUnknownError);
    await pollUntil(async () => (await sleepingStatements(cluster)) === 0, 'the abandoned statement to be cancelled', 5_000);
    // The pool is whole: the next write goes through.
    await expect(cluster.write((db) => db.query('SELECT 1 AS one'))).resolves.toMatchObject({ rows: [{ one: 1 }] });
  });

  it('keeps writes apart from reads: with every read connection busy, a write still goes through at once', async () => {
    const { cluster } = await clusterOn({});
    const reads = Array.from({ length: 20 }, () => cluster.read((db) => db.query('SELECT pg_sleep(5)')));
    let readsDone = false;
    const allRead = Promise.all(reads).finally(() => (readsDone = true));
    await pollUntil(async () => (await sleepingStatements(cluster)) >= 20, 'the reads to hold every read connection', 5_000);
    await cluster.write((db) => db.query('SELECT 1'));
    // Had the write waited for a read connection, every read would have ended first.
    expect(readsDone).toBe(false);
    await allRead;
  });
});
