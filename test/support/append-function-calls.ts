import { appendCall } from '../../src/store/log/append-batch.js';
import type { StoreTables } from '../../src/store/tables.js';

/** One way of calling the store's append function: the statement, and how it takes the events' payloads. */
export interface AppendFunctionCall {
  name: string;
  sql(tables: StoreTables): string;
  /** The JSON texts of every event's data (or metadata), as the statement's parameter. */
  payloads(texts: string[]): unknown;
  /**
   * The statement's parameters from the ten every version takes (streams, assumed versions, fresh ids,
   * then the event columns); a version with more gets its defaults (streams not deleted, no conditions).
   */
  args(columns: unknown[]): unknown[];
}

/** As this release's gateway calls it (migration 007): stream deletion states and conditions too. */
export const THIS_RELEASE: AppendFunctionCall = {
  name: 'with deletion states and conditions (this release)',
  sql: appendCall,
  payloads: (texts) => `[${texts.join(',')}]`,
  args: ([streams, assumed, ...rest]) => [streams, assumed, (streams as unknown[]).map(() => null), ...rest, '[]'],
};

/** As gateways of the release before call it, still during a rolling upgrade: payloads as JSON arrays (migration 005). */
export const PREVIOUS_RELEASE: AppendFunctionCall = {
  name: 'payloads as JSON documents (previous release)',
  sql: (tables) => `SELECT first_position, created_epoch FROM ${tables.appendFunction}(
       $1::text[], $2::int[], $3::uuid[], $4::uuid[], $5::text[], $6::int[], $7::text[], $8::json, $9::json, $10::text[])`,
  payloads: (texts) => `[${texts.join(',')}]`,
  args: (columns) => columns,
};

/** As gateways of earlier releases call it, still during a rolling upgrade: payloads as jsonb[]. */
export const EARLIER_RELEASES: AppendFunctionCall = {
  name: 'payloads as jsonb[] (earlier releases)',
  sql: (tables) => `SELECT first_position, created_epoch FROM ${tables.appendFunction}(
       $1::text[], $2::int[], $3::uuid[], $4::uuid[], $5::text[], $6::int[], $7::text[], $8::jsonb[], $9::jsonb[], $10::text[])`,
  payloads: (texts) => texts,
  args: (columns) => columns,
};
