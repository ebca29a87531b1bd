import type pg from 'pg';
import type { Cluster, ReadConsistency, WriteOptions } from '../cluster/cluster.js';
import { readWithin } from '../cluster/read-within.js';
import type { StoreTables } from './tables.js';

/** A store operation: SQL run on one node's pool against the store's tables. */
export type StoreOperation<T> = (db: pg.Pool, tables: StoreTables) => Promise<T>;

/**
 * Where a store's operations run: writes on the leader, reads on a random
 * healthy node, or on the leader for a `leader` route (read-your-writes) and
 * for reads that ask for it.
 */
export class StoreRoute {
  private leaderRoute: StoreRoute | undefined;

  constructor(
    private readonly cluster: Cluster,
    readonly tables: StoreTables,
    private readonly consistency: ReadConsistency = 'any',
  ) {}

  /** The same store with every read served by the leader. */
  toLeader(): StoreRoute {
    if (this.consistency === 'leader') return this;
    this.leaderRoute ??= new StoreRoute(this.cluster, this.tables, 'leader');
    return this.leaderRoute;
  }

  /** `fromLeader` for readers that must see every commit at once (subscriptions), whatever replicas lag. */
  read<T>(operation: StoreOperation<T>, fromLeader = false): Promise<T> {
    return this.cluster.read((db) => operation(db, this.tables), { consistency: fromLeader ? 'leader' : this.consistency });
  }

  /** How long a write may take before it is answered (`GATER_WRITE_TIMEOUT_MS`). */
  get writeTimeoutMs(): number {
    return this.cluster.writeTimeoutMs;
  }

  /** A read on the leader that the caller can do without: undefined when it fails or runs past `withinMs` (it is cancelled then). */
  optionalLeaderRead<T>(operation: (db: pg.ClientBase, tables: StoreTables) => Promise<T>, withinMs: number): Promise<T | undefined> {
    let leader: pg.Pool;
    try {
      leader = this.cluster.reader({ consistency: 'leader' });
    } catch {
      return Promise.resolve(undefined);
    }
    return readWithin(leader, withinMs, (client) => operation(client, this.tables));
  }

  write<T>(operation: StoreOperation<T>, options?: WriteOptions): Promise<T> {
    return this.cluster.write((db) => operation(db, this.tables), options);
  }
}
