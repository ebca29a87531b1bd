import type { StoreTables } from '../tables.js';

/**
 * Binds acks to their consumer. `ack_key` is the SHA-256 of the consumer's
 * token (or a random key of its graphql-ws connection); an ack or nack of an
 * in-flight event counts only with the key of the consumer that holds it.
 * Consumers registered before it have none, and their events are acked by
 * nobody: they are delivered again when their leases run out.
 */
export function consumerAckKeys(t: StoreTables): string {
  return `ALTER TABLE ${t.consumers} ADD COLUMN ack_key bytea;`;
}
