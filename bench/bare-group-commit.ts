import pg from 'pg';
import { newEventId } from '../src/store/event-id.js';
import { preparedStatement } from '../src/store/prepared.js';
import { runLoad } from './load.js';
import { sampleEvent } from './sample-event.js';

interface Waiting {
  streamId: string;
  events: { type: string; data: string; metadata: string }[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The ceiling of the gateway's commit design on this machine: a group
 * committer with nothing else. Whatever is waiting goes in one statement that
 * takes a transaction-scoped advisory lock (held through COMMIT, as the
 * gateway's is), reads the head position and inserts the batch after it.
 * No HTTP, no GraphQL, no version checks, no notifications. The statement
 * is prepared once per connection, as the gateway's append call is.
 */
export async function bareGroupCommit(url: string, workers: number, eventsPerAppend: number, durationMs: number) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`
    DROP TABLE IF EXISTS bench_bare_events;
    CREATE TABLE bench_bare_events (
      position bigint PRIMARY KEY, event_id uuid NOT NULL UNIQUE, stream_id text COLLATE "C" NOT NULL,
      type text NOT NULL, data jsonb NOT NULL, metadata jsonb NOT NULL, created timestamptz NOT NULL DEFAULT now())`);
  const insert = `
    WITH locked AS (SELECT pg_advisory_xact_lock(7340033)),
         -- max() alone in its subquery, so PostgreSQL reads it off the index instead of scanning the table
         head AS (SELECT coalesce((SELECT max(position) FROM bench_bare_events), 0) AS position FROM locked)
    INSERT INTO bench_bare_events (position, event_id, stream_id, type, data, metadata)
    SELECT head.position + e.ordinality, e.id, e.stream_id, e.type, e.data, e.metadata
    FROM head, unnest($1::uuid[], $2::text[], $3::text[], $4::jsonb[], $5::jsonb[]) WITH ORDINALITY AS e(id, stream_id, type, data, metadata, ordinality)`;
  let queue: Waiting[] = [];
  let committing = false;
  const drain = async () => {
    committing = true;
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      const events = batch.flatMap((waiting) => waiting.events.map((event) => ({ ...event, streamId: waiting.streamId })));
      try {
        await client.query(
          preparedStatement(insert, [
            events.map(() => newEventId()),
            events.map((event) => event.streamId),
            events.map((event) => event.type),
            events.map((event) => event.data),
            events.map((event) => event.metadata),
          ]),
        );
        for (const waiting of batch) waiting.resolve();
      } catch (error) {
        for (const waiting of batch) waiting.reject(error);
      }
    }
    committing = false;
  };
  try {
    return await runLoad(workers, durationMs, async (worker, iteration) => {
      const events = Array.from({ length: eventsPerAppend }, (_, index) => {
        const event = sampleEvent(worker, iteration * eventsPerAppend + index);
        return { type: event.type, data: JSON.stringify(event.data), metadata: JSON.stringify(event.metadata) };
      });
      await new Promise<void>((resolve, reject) => {
        queue.push({ streamId: `bare-${worker}`, events, resolve, reject });
        if (!committing) void drain();
      });
      return eventsPerAppend;
    });
  } finally {
    await client.query('DROP TABLE bench_bare_events');
    await client.end();
  }
}
