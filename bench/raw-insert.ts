import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { runLoad } from './load.js';
import { sampleEvent } from './sample-event.js';

/**
 * The limit: the same rows inserted straight through pg, one transaction per
 * batch, positions from a plain sequence (no ordering guarantee, no checks).
 */
export async function rawInsert(url: string, workers: number, eventsPerTx: number, durationMs: number) {
  const pool = new pg.Pool({ connectionString: url, max: workers });
  await pool.query(`
    DROP TABLE IF EXISTS bench_raw_events;
    CREATE TABLE bench_raw_events (
      position bigserial PRIMARY KEY, event_id uuid NOT NULL UNIQUE, stream_id text COLLATE "C" NOT NULL,
      version int NOT NULL, type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL,
      content_type text NOT NULL, created timestamptz NOT NULL DEFAULT now(), UNIQUE (stream_id, version))`);
  const result = await runLoad(workers, durationMs, async (worker, iteration) => {
    const events = Array.from({ length: eventsPerTx }, (_, index) => sampleEvent(worker, index));
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(
        `INSERT INTO bench_raw_events (event_id, stream_id, version, type, data, metadata, content_type)
         SELECT * FROM unnest($1::uuid[], $2::text[], $3::int[], $4::text[], $5::jsonb[], $6::jsonb[], $7::text[])`,
        [
          events.map(() => randomUUID()),
          events.map(() => `raw-${eventsPerTx}-${worker}`),
          events.map((_, index) => iteration * eventsPerTx + index),
          events.map((event) => event.type),
          events.map((event) => JSON.stringify(event.data)),
          events.map((event) => JSON.stringify(event.metadata)),
          events.map(() => 'application/json'),
        ],
      );
      await client.query('COMMIT');
    } finally {
      client.release();
    }
    return eventsPerTx;
  });
  await pool.query('DROP TABLE bench_raw_events');
  await pool.end();
  return result;
}
