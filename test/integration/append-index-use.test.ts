import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CHECKED_RELEASE, CONDITIONS_RELEASE, EARLIER_RELEASES, PREVIOUS_RELEASE, THIS_RELEASE, THIS_RELEASE_MOVING_ON } from '../support/append-function-calls.js';
import { useMigratedStore } from '../support/migrated-store.js';

interface Event {
  id: string;
  streamId: string;
  version: number;
}

const oneEvent = (streamId: string, version: number): Event => ({ id: randomUUID(), streamId, version });

describe.each([
  ['plans_now', THIS_RELEASE],
  ['plans_moving_on', THIS_RELEASE_MOVING_ON],
  ['plans_checked', CHECKED_RELEASE],
  ['plans_conditions', CONDITIONS_RELEASE],
  ['plans_previous', PREVIOUS_RELEASE],
  ['plans_before', EARLIER_RELEASES],
])('the append function called with %s', (storeId, call) => {
  const store = useMigratedStore(storeId);
  const { tables } = store;

  /** Every id is client-given, so it is looked for among stored events. */
  async function appendBatch(client: pg.ClientBase, assumed: Map<string, number>, events: Event[]): Promise<void> {
    const emptyObjects = call.payloads(events.map(() => '{}'));
    const { rows } = await client.query<{ first_position: string | null }>(call.sql(tables), call.args([
      [...assumed.keys()],
      [...assumed.values()],
      events.map((e) => e.id),
      events.map((e) => e.id),
      events.map((e) => e.streamId),
      events.map((e) => e.version),
      events.map(() => 'Happened'),
      emptyObjects,
      emptyObjects,
      events.map(() => 'application/json'),
    ]));
    expect(rows[0]!.first_position).not.toBeNull();
  }

  it('keeps every lookup of an append on an index, however much the log grew since the connection first appended', async () => {
    const client = await store.pool.connect();
    try {
      // A connection that appends to an empty store first: PostgreSQL caches its plans then.
      for (let version = 0; version < 10; version++) {
        await appendBatch(client, new Map([['early', version - 1]]), [oneEvent('early', version)]);
      }
      const many = Array.from({ length: 5000 }, (_, index) => oneEvent(`stream-${index}`, 0));
      await appendBatch(client, new Map(many.map((e) => [e.streamId, -1])), many);

      const plans: string[] = [];
      client.on('notice', (notice) => plans.push(notice.message ?? ''));
      await client.query(`LOAD 'auto_explain'`);
      await client.query(`SET auto_explain.log_min_duration = 0; SET auto_explain.log_nested_statements = on; SET client_min_messages = log`);
      await appendBatch(client, new Map([['stream-42', 0]]), [oneEvent('stream-42', 1)]);
      await client.query('RESET client_min_messages');

      const text = plans.join('\n');
      expect(text).toContain(tables.events);
      expect(text).not.toMatch(/Seq Scan on (events|streams)/);
    } finally {
      client.release();
    }
  });
});
