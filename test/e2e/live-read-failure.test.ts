import pg from 'pg';
import { describe, expect, it } from 'vitest';
import type { Logger } from '../../src/log.js';
import { BY_STREAM, type EventView } from '../support/queries.js';
import { subscribeSse } from '../support/sse-client.js';
import { appendSuccess, newEvents, type GraphQLErrorBody } from '../support/test-gateway.js';
import { useLiveGateway, type Collected } from '../support/ws-client.js';

const logged: { message: string; cause: unknown }[] = [];
const log: Logger = { info: () => undefined, error: (message, cause) => logged.push({ message, cause }) };
const live = useLiveGateway({ log });

/**
 * Runs `during` while the store's events table is out of reach, so that a
 * subscription's history read fails with PostgreSQL's own words, as a bug
 * would. A subscription already running keeps the tailer going: the new one
 * starts without a query, and its first read is the one that fails.
 */
async function withEventsTableHidden(during: () => Promise<void>): Promise<void> {
  const admin = new pg.Client({ connectionString: live.gw.databaseUrl });
  await admin.connect();
  try {
    await admin.query('ALTER TABLE gater_default.events RENAME TO events_hidden');
    try {
      await during();
    } finally {
      await admin.query('ALTER TABLE gater_default.events_hidden RENAME TO events');
    }
  } finally {
    await admin.end();
  }
}

function expectMaskedFailure(sub: Collected<EventView>, errors: GraphQLErrorBody[]): void {
  expect(sub.events).toEqual([]);
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  expect(JSON.stringify(errors)).not.toMatch(/gater_default|relation|does not exist|events_hidden/i);
  // The operator, unlike the client, gets the cause.
  expect(logged.map((entry) => String((entry.cause as Error)?.message))).toContainEqual(expect.stringMatching(/gater_default\.events/));
}

describe('a live subscription whose database read fails', () => {
  it('ends over graphql-ws with the masked error, and the connection goes on serving', async () => {
    const keeper = await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: 'kept-ws' });
    logged.length = 0;
    let failing!: Collected<EventView>;
    let errors!: GraphQLErrorBody[];
    await withEventsTableHidden(async () => {
      failing = live.ws.subscribe<EventView>(BY_STREAM, { streamId: 'unreadable-ws', fromVersion: 0 });
      errors = await failing.waitForErrors();
    });
    expectMaskedFailure(failing, errors);

    const [after] = (await appendSuccess(live.gw, { streamId: 'kept-ws', events: newEvents(1) })).events;
    expect(await keeper.waitForEvents(1)).toEqual([after]);
  });

  it('ends over SSE with the masked error', async () => {
    await live.ws.subscribeActive<EventView>(BY_STREAM, { streamId: 'kept-sse' });
    // Not cleared: a cause is logged once per interval, so the line may be the one the graphql-ws case wrote.
    let failing!: Collected<EventView>;
    let errors!: GraphQLErrorBody[];
    await withEventsTableHidden(async () => {
      failing = subscribeSse<EventView>(live.gw.url, { method: 'POST', query: BY_STREAM, variables: { streamId: 'unreadable-sse', fromVersion: 0 } });
      errors = await failing.waitForErrors();
    });
    expectMaskedFailure(failing, errors);
  });
});
