import { appendCall } from '../../src/store/log/append-batch.js';
import { preparedStatement } from '../../src/store/prepared.js';
import { storeTables, type StoreTables } from '../../src/store/tables.js';

/**
 * What each append to the default store carries to PostgreSQL, for a proxy to
 * tell it by: the name of its prepared statement (the text goes only once per
 * connection).
 */
export const DEFAULT_STORE_APPEND = preparedStatement(appendCall(storeTables('default')), []).name!;

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

/** As this release's gateway calls it (the parameters of migration 011, the body of 012), with no stream it may move on: a moved stream fails the statement. */
export const THIS_RELEASE: AppendFunctionCall = {
  name: 'moving unexpected streams on (this release)',
  sql: appendCall,
  payloads: (texts) => `[${texts.join(',')}]`,
  args: ([streams, assumed, fresh, ids, eventStreams, versions, ...rest]) => [
    streams,
    assumed,
    (streams as unknown[]).map(() => null),
    versionsAfter(streams as string[], assumed as number[], eventStreams as string[], versions as number[]),
    (streams as unknown[]).map(() => false),
    fresh,
    ids,
    eventStreams,
    versions,
    ...rest,
    '[]',
  ],
};

/** As this release's gateway calls it for appends that expect no version: every stream it writes may move on past other writers. */
export const THIS_RELEASE_MOVING_ON: AppendFunctionCall = {
  name: 'moving every written stream on (this release)',
  sql: appendCall,
  payloads: THIS_RELEASE.payloads,
  args: (columns) => {
    const args = THIS_RELEASE.args(columns);
    const [assumed, after] = [args[1] as number[], args[3] as number[]];
    args[4] = after.map((version, index) => version > assumed[index]!);
    return args;
  },
};

/** As gateways of the release before call it, still during a rolling upgrade (migration 009): a moved stream fails the statement instead of answering NULL. */
export const CHECKED_RELEASE: AppendFunctionCall = {
  name: 'checked by its writes (migration 009)',
  sql: (tables) => `SELECT first_position, created_epoch, condition_positions FROM ${tables.appendFunction}(
       $1::text[], $2::int[], $3::text[], $4::int[], $5::uuid[],
       $6::uuid[], $7::text[], $8::int[], $9::text[], $10::json, $11::json, $12::text[], $13::jsonb)`,
  payloads: (texts) => `[${texts.join(',')}]`,
  args: (columns) => {
    const [streams, assumed, deleted, after, , ...rest] = THIS_RELEASE.args(columns);
    return [streams, assumed, deleted, after, ...rest];
  },
};

/** Each stream's version once the events are written: its last event's, or the one assumed if it has none. */
function versionsAfter(streams: string[], assumed: number[], eventStreams: string[], versions: number[]): number[] {
  const after = new Map(streams.map((stream, index) => [stream, assumed[index]!]));
  eventStreams.forEach((stream, index) => after.set(stream, Math.max(after.get(stream)!, versions[index]!)));
  return streams.map((stream) => after.get(stream)!);
}

/** As gateways of the release with deletion and conditions called it (migration 007): a stale plan answers NULL. */
export const CONDITIONS_RELEASE: AppendFunctionCall = {
  name: 'with deletion states and conditions (migration 007)',
  sql: (tables) => `SELECT first_position, created_epoch, condition_positions FROM ${tables.appendFunction}(
       $1::text[], $2::int[], $3::text[], $4::uuid[],
       $5::uuid[], $6::text[], $7::int[], $8::text[], $9::json, $10::json, $11::text[], $12::jsonb)`,
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
