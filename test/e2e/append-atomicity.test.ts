import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { APPEND, STREAM_VERSION, type AppendData, type AppendInput, type StreamVersionData } from '../support/queries.js';
import {
  append,
  appendSuccess,
  dataOf,
  newEvents,
  readAll,
  readStream,
  storeView,
} from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const gw = useGateway();

const streamName = () => `cart-${randomUUID()}`;

async function versionOf(streamId: string): Promise<number> {
  return dataOf(await gw.gql<StreamVersionData>(STREAM_VERSION, { streamId })).streamVersion;
}

/** Runs a rejected append and checks that the stream and the store are exactly as before. */
async function expectNothingWritten(streamId: string, run: () => Promise<void>): Promise<void> {
  const before = { version: await versionOf(streamId), store: await storeView(gw), events: await readStream(gw, streamId) };
  await run();
  expect(await versionOf(streamId)).toBe(before.version);
  expect(await storeView(gw)).toEqual(before.store);
  expect(await readStream(gw, streamId)).toEqual(before.events);
}

async function expectBadUserInput(input: AppendInput, field: string): Promise<void> {
  const response = await gw.gql<AppendData>(APPEND, { input });
  expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
}

describe('an append that is rejected writes none of its events', () => {
  it('when its expected version is wrong', async () => {
    const streamId = streamName();
    await appendSuccess(gw, { streamId, events: newEvents(2) });
    await expectNothingWritten(streamId, async () => {
      const result = await append(gw, { streamId, expectedVersion: 0, events: newEvents(5) });
      expect(result.__typename).toBe('WrongExpectedVersionError');
    });
  });

  it('when its expected state is wrong, on a stream that does not exist', async () => {
    const streamId = streamName();
    await expectNothingWritten(streamId, async () => {
      const result = await append(gw, { streamId, expectedState: 'STREAM_EXISTS', events: newEvents(3) });
      expect(result.__typename).toBe('WrongExpectedVersionError');
    });
  });

  it('when one of its events is invalid among valid ones', async () => {
    const streamId = streamName();
    await appendSuccess(gw, { streamId, events: newEvents(1) });
    await expectNothingWritten(streamId, async () => {
      const events = newEvents(4);
      events[2] = { ...events[2]!, type: '' };
      await expectBadUserInput({ streamId, events }, 'input.events[2].type');
    });
  });

  it('when its last event has an id that is not a UUID', async () => {
    const streamId = streamName();
    await expectNothingWritten(streamId, async () => {
      await expectBadUserInput({ streamId, events: [...newEvents(3), { id: 'not-a-uuid', type: 'T' }] }, 'input.events[3].id');
    });
  });

  it('when one of its ids is already stored in another stream', async () => {
    const taken = newEvents(1);
    await appendSuccess(gw, { streamId: streamName(), events: taken });
    const streamId = streamName();
    await appendSuccess(gw, { streamId, events: newEvents(1) });
    await expectNothingWritten(streamId, async () => {
      await expectBadUserInput({ streamId, events: [...newEvents(2), taken[0]!] }, 'input.events[2].id');
    });
  });

  it('when it holds the same id twice', async () => {
    const streamId = streamName();
    const [event] = newEvents(1);
    await expectNothingWritten(streamId, async () => {
      await expectBadUserInput({ streamId, events: [event!, event!] }, 'input.events[1].id');
    });
  });

  it('when the database refuses one of its events, without failing appends committed alongside it', async () => {
    // A trigger makes PostgreSQL itself refuse events of type "Refused", as it would on any failure
    // that validation cannot foresee; the append holding one must fail alone and write nothing.
    const admin = new pg.Client({ connectionString: gw.databaseUrl });
    await admin.connect();
    try {
      await admin.query(`
        CREATE FUNCTION gater_default.refuse_event() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'refused by the test'; END $$;
        CREATE TRIGGER refuse_event BEFORE INSERT ON gater_default.events
        FOR EACH ROW WHEN (NEW.type = 'Refused') EXECUTE FUNCTION gater_default.refuse_event();`);

      const streamId = streamName();
      const neighbours = Array.from({ length: 6 }, () => streamName());
      const before = await storeView(gw);
      // The refused append goes in the middle, so that it most likely shares a group-commit batch.
      const appendNeighbour = (id: string) => appendSuccess(gw, { streamId: id, events: newEvents(2) });
      const [early, refused, late] = await Promise.all([
        Promise.all(neighbours.slice(0, 3).map(appendNeighbour)),
        gw.gql<AppendData>(APPEND, { input: { streamId, events: [...newEvents(2), { type: 'Refused' }, ...newEvents(1)] } }),
        Promise.all(neighbours.slice(3).map(appendNeighbour)),
      ]);
      const others = [...early, ...late];
      // A refusal the gateway cannot explain is a bug to the client: masked, whatever PostgreSQL said.
      expect(refused.errors).toHaveLength(1);
      expect(refused.errors![0]).toMatchObject({ message: 'Unexpected error.', path: ['appendEvents'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      expect(JSON.stringify(refused)).not.toMatch(/refused by the test|refuse_event|gater_default/);
      expect(refused.data?.appendEvents ?? null).toBeNull();
      expect(others.map((result) => result.version)).toEqual(neighbours.map(() => 1));

      expect(await versionOf(streamId)).toBe(-1);
      expect(await readStream(gw, streamId)).toEqual([]);
      const after = await storeView(gw);
      expect(after.eventCount).toBe(before.eventCount + 12);
      expect(after.headPosition).toBe(before.headPosition + 12);
      expect(after.streamCount).toBe(before.streamCount + 6);
      for (const id of neighbours) expect(await readStream(gw, id)).toHaveLength(2);
      // Positions stay gapless across the refused batch.
      expect((await readAll(gw)).map((event) => event.position)).toEqual(
        Array.from({ length: after.headPosition }, (_, index) => index + 1),
      );
    } finally {
      await admin.query('DROP TRIGGER IF EXISTS refuse_event ON gater_default.events').catch(() => undefined);
      await admin.end();
    }
  });
});

describe('a rejected append leaves the global log gapless', () => {
  it('the next successful append takes the very next position', async () => {
    const streamId = streamName();
    const first = await appendSuccess(gw, { streamId, events: newEvents(1) });
    await append(gw, { streamId, expectedVersion: 5, events: newEvents(3) });
    await expectBadUserInput({ streamId, events: [{ type: 'T' }, { type: '' }] }, 'input.events[1].type');
    const head = (await storeView(gw)).headPosition;
    const next = await appendSuccess(gw, { streamId, events: newEvents(1) });
    expect(next.position).toBe(head + 1);
    expect(next.version).toBe(first.version + 1);
    const positions = (await readAll(gw)).map((event) => event.position);
    expect(positions).toEqual(positions.map((_, index) => index + 1));
  });
});
