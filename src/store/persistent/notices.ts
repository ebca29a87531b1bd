import { escapeLiteral } from 'pg';
import type { StoreTables } from '../tables.js';

/** What a gateway hears on the store's persistent channel: a subscription changed, and whose leases, if anyone's. */
export interface PersistentNotice {
  subscription: string;
  /** The gateway whose leases were ended by someone else; it must look again at what its consumers hold. */
  gateway: string | null;
  /** The life of the name (`INCARNATION_SQL`) that was removed, when the subscription was removed. */
  removed: string | null;
}

/**
 * The SQL call that tells every gateway about a change to a subscription,
 * delivered when the statement's transaction commits. `subscription` and
 * `gateway` are SQL expressions (columns or parameters).
 */
export function notifySql(tables: StoreTables, subscription: string, gateway = 'NULL::uuid'): string {
  return `pg_notify(${escapeLiteral(tables.persistentChannel)}, json_build_object('subscription', ${subscription}, 'gateway', ${gateway})::text)`;
}

/** The SQL call that tells every gateway a subscription was removed; `incarnation` is an SQL expression of which life of the name it was. */
export function notifyRemovedSql(tables: StoreTables, subscription: string, incarnation: string): string {
  return `pg_notify(${escapeLiteral(tables.persistentChannel)}, json_build_object('subscription', ${subscription}, 'removed', ${incarnation}::text)::text)`;
}

/** Null when the payload is not a notice (a stray NOTIFY on the channel). */
export function parseNotice(payload: string | undefined): PersistentNotice | null {
  try {
    const notice = JSON.parse(payload ?? '') as Partial<PersistentNotice>;
    if (typeof notice.subscription !== 'string') return null;
    return {
      subscription: notice.subscription,
      gateway: typeof notice.gateway === 'string' ? notice.gateway : null,
      removed: typeof notice.removed === 'string' ? notice.removed : null,
    };
  } catch {
    return null;
  }
}
