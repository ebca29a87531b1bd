import type pg from 'pg';
import type { StoredSubscription } from './types.js';
import { SUBSCRIPTION_COLUMNS, toStoredSubscription, type SubscriptionRow } from './subscription-row.js';
import type { StoreTables } from '../tables.js';

/**
 * Records a consumer of a subscription served by a gateway, with the key its acks must carry;
 * answers the subscription, or null when there is none.
 */
export async function registerConsumer(
  db: pg.Pool,
  tables: StoreTables,
  subscription: string,
  consumerId: string,
  gatewayId: string,
  ackKey: Buffer,
): Promise<StoredSubscription | null> {
  const { rows } = await db.query<SubscriptionRow>(
    `WITH subscription AS (SELECT ${SUBSCRIPTION_COLUMNS} FROM ${tables.subscriptions} WHERE name = $1),
     registered AS (
       INSERT INTO ${tables.consumers} (consumer_id, subscription, gateway_id, ack_key) SELECT $2, name, $3, $4 FROM subscription
     )
     SELECT * FROM subscription`,
    [subscription, consumerId, gatewayId, ackKey],
  );
  return rows[0] ? toStoredSubscription(rows[0]) : null;
}
