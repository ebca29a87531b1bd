import { beforeAll, describe, expect, it } from 'vitest';
import { apiKeysFile } from '../support/api-keys-file.js';
import { callerClient, refusals, type CallerClient } from '../support/callers.js';
import { APPEND_TO_STREAMS, APPEND_WITH_CONDITION, DELETE_STREAM, type AppendAnswer } from '../support/lifecycle.js';
import { newEvents, readStream } from '../support/test-gateway.js';
import { useGateway } from '../support/use-gateway.js';

const KEYS = {
  writer: 'lifecycle-writer-key-0123456789',
  tenantA: 'lifecycle-tenant-a-key-0123456',
  scopedAdmin: 'lifecycle-scoped-admin-key-012',
  admin: 'lifecycle-admin-key-0123456789',
};

function keysFile(): string {
  return apiKeysFile([
    { name: 'writer', key: KEYS.writer, role: 'writer' },
    { name: 'tenant-a', key: KEYS.tenantA, role: 'writer', streams: ['a-'] },
    { name: 'a-admin', key: KEYS.scopedAdmin, role: 'admin', streams: ['a-'] },
    { name: 'ops', key: KEYS.admin, role: 'admin' },
  ]);
}

const gw = useGateway(() => ({ env: { GATER_API_KEYS_FILE: keysFile() } }));
const as: Record<keyof typeof KEYS, CallerClient> = {} as Record<keyof typeof KEYS, CallerClient>;
beforeAll(() => {
  for (const name of Object.keys(KEYS) as (keyof typeof KEYS)[]) as[name] = callerClient(gw, KEYS[name]);
});

describe('who may delete and append to many streams', () => {
  it('deleting needs the admin role, and a scoped admin deletes only inside its prefixes', async () => {
    await as.admin.gql(APPEND_WITH_CONDITION, { input: { streamId: 'b-kept', events: newEvents(1) } });
    const byWriter = await as.writer.gql(DELETE_STREAM, { input: { streamId: 'b-kept' } });
    expect(refusals(byWriter.errors)).toEqual([['FORBIDDEN', 'delete']]);
    expect(byWriter.errors?.[0]?.message).toMatch(/may not delete streams/);
    const outside = await as.scopedAdmin.gql(DELETE_STREAM, { input: { streamId: 'b-kept' } });
    expect(refusals(outside.errors)).toEqual([['FORBIDDEN', 'stream b-kept']]);
    expect(await readStream(as.admin, 'b-kept')).toHaveLength(1);
    const inside = await as.scopedAdmin.gql<{ deleteStream: { __typename: string } }>(DELETE_STREAM, { input: { streamId: 'a-gone' } });
    expect(inside.data?.deleteStream.__typename).toBe('DeleteStreamSuccess');
  });

  it('appendToStreams needs write on every stream it names', async () => {
    const answer = await as.tenantA.gql(APPEND_TO_STREAMS, {
      input: { streams: [{ streamId: 'a-1', events: newEvents(1) }, { streamId: 'b-1', events: newEvents(1) }] },
    });
    expect(refusals(answer.errors)).toEqual([['FORBIDDEN', 'stream b-1']]);
    expect(await readStream(as.admin, 'a-1')).toEqual([]);
  });

  it("a scoped caller's condition sees only its own streams", async () => {
    await as.admin.gql(APPEND_WITH_CONDITION, { input: { streamId: 'b-order', events: [{ type: 'OrderPlaced', data: { sku: 'same' } }] } });
    const condition = { failIfEventsMatch: { eventTypes: ['OrderPlaced'], pattern: { data: { sku: 'same' } } } };
    const scoped = await as.tenantA.gql<{ appendEvents: AppendAnswer }>(APPEND_WITH_CONDITION, {
      input: { streamId: 'a-order', events: [{ type: 'OrderPlaced', data: { sku: 'same' } }], condition },
    });
    expect(scoped.data?.appendEvents.__typename).toBe('AppendEventsSuccess');
    // Now one is in its scope: the same condition fails, on the tenant's own event.
    const again = await as.tenantA.gql<{ appendEvents: AppendAnswer }>(APPEND_WITH_CONDITION, {
      input: { streamId: 'a-order-2', events: newEvents(1), condition },
    });
    expect(again.data?.appendEvents).toMatchObject({
      __typename: 'AppendConditionFailedError',
      position: scoped.data?.appendEvents.__typename === 'AppendEventsSuccess' ? scoped.data.appendEvents.position : -1,
    });
  });
});
