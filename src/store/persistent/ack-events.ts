import type pg from 'pg';
import { notifySql } from './notices.js';
import { preparedStatement } from '../prepared.js';
import type { SettleOutcome, AckRequest } from './types.js';
import { existingSubscriptions } from './existing-subscriptions.js';
import type { StoreTables } from '../tables.js';

/**
 * Marks many in-flight events done in one statement: it deletes them and
 * says which existed and who held them, and tells each other gateway whose
 * leases it ended. Each ack counts only with the key of the consumer that
 * holds its event; any other is answered `not_in_flight` and changes
 * nothing. An event asked twice in one batch is done once, for the ack that
 * carries its holder's key. Events that were not in flight are told apart from unknown
 * subscriptions with one more query, only when there are any.
 */
export async function ackEvents(db: pg.Pool, tables: StoreTables, gatewayId: string, requests: readonly AckRequest[]): Promise<SettleOutcome[]> {
  if (requests.length === 0) return [];
  const statement = ackStatement(tables, gatewayId, requests);
  const { rows } = await db.query<AckedRow>(statement.query);
  const done = new Map(rows.map((row) => [key(row.subscription, row.event_id, row.ack_key), row]));
  const outcomes = requests.map((request): SettleOutcome | undefined => {
    const requestKey = key(request.subscription, request.eventId, statement.byAckKey ? request.ackKey : null);
    const row = done.get(requestKey);
    if (!row) return undefined;
    done.delete(requestKey);
    return { kind: 'settled', lease: { consumerId: row.consumer_id, gatewayId: row.gateway_id } };
  });
  const missed = requests.filter((_, index) => outcomes[index] === undefined).map((request) => request.subscription);
  const existing = missed.length === 0 ? new Set<string>() : await existingSubscriptions(db, tables, missed);
  return outcomes.map(
    (outcome, index) =>
      outcome ?? (existing.has(requests[index]!.subscription) ? { kind: 'not_in_flight' } : { kind: 'subscription_not_found' }),
  );
}

interface AckedRow {
  subscription: string;
  event_id: string;
  /** The key of the ack that did it, where a batch asks for one event more than once. */
  ack_key: Buffer | null;
  consumer_id: string | null;
  gateway_id: string | null;
}

/**
 * Deletes the in-flight rows `where` picks (with `using` beside the table)
 * and answers them with `ackKey`, telling each other gateway whose leases
 * they were. $4 is this gateway's id.
 */
function deleteAckedSql(tables: StoreTables, using: string, where: string, ackKey: string): string {
  return `WITH acked AS (
       DELETE FROM ${tables.inFlight} f ${using}
       WHERE ${where}
       RETURNING f.subscription, f.event_id, f.consumer_id, f.gateway_id, ${ackKey} AS ack_key
     )
     SELECT subscription, event_id, consumer_id, gateway_id, ack_key,
       CASE WHEN gateway_id <> $4::uuid THEN ${notifySql(tables, 'subscription', 'gateway_id')} END
     FROM acked`;
}

/**
 * Acks of one subscription, one each per event (what a batch almost always
 * holds), are a prepared statement: parsing and planning the statement cost
 * PostgreSQL more than running it did. Its rows are found through the
 * primary key by the subscription and the ids, and each row's consumer by
 * its key, a plan that stays right however the tables grow. Other batches
 * join the requests to the table, a plan that depends on its size, and so
 * are planned each time.
 */
function ackStatement(tables: StoreTables, gatewayId: string, requests: readonly AckRequest[]): { query: pg.QueryConfig; byAckKey: boolean } {
  const ids = requests.map((request) => request.eventId);
  const keys = requests.map((request) => request.ackKey);
  const subscription = requests[0]!.subscription;
  if (requests.every((request) => request.subscription === subscription) && new Set(ids).size === ids.length) {
    const where = `f.subscription = $1 AND f.event_id = ANY ($2::uuid[])
         AND EXISTS (SELECT 1 FROM ${tables.consumers} c
                     WHERE c.consumer_id = f.consumer_id AND c.ack_key = ($3::bytea[])[array_position($2::uuid[], f.event_id)])`;
    return { query: preparedStatement(deleteAckedSql(tables, '', where, 'NULL::bytea'), [subscription, ids, keys, gatewayId]), byAckKey: false };
  }
  const using = 'USING unnest($1::text[], $2::uuid[], $3::bytea[]) AS a(subscription, event_id, ack_key)';
  const where = `f.subscription = a.subscription AND f.event_id = a.event_id
         AND EXISTS (SELECT 1 FROM ${tables.consumers} c WHERE c.consumer_id = f.consumer_id AND c.ack_key = a.ack_key)`;
  // An event asked for twice (its holder's ack and another's) is credited to the ack whose key deleted it.
  const query = { text: deleteAckedSql(tables, using, where, 'a.ack_key'), values: [requests.map((request) => request.subscription), ids, keys, gatewayId] };
  return { query, byAckKey: true };
}

function key(subscription: string, eventId: string, ackKey: Buffer | null): string {
  return ackKey === null ? `${subscription}\u0000${eventId}` : `${subscription}\u0000${eventId}\u0000${ackKey.toString('hex')}`;
}
