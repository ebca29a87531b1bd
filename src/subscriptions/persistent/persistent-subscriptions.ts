import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { EventStore } from '../../store/event-store.js';
import { PersistentHub } from './persistent-hub.js';

export interface PersistentSubscriptionsOptions {
  stores: readonly EventStore[];
  /** A dedicated session on the leader, for LISTEN. */
  connect: () => Promise<pg.Client>;
  /** How often each subscription with consumers here also looks for work without being told. Default 1,000 ms. */
  pollIntervalMs?: number;
  /** How often this gateway marks its consumers as connected; a consumer not marked for three times this is not counted. Default 5,000 ms. */
  heartbeatMs?: number;
  log: (message: string) => void;
}

/**
 * The persistent subscriptions of every store, served by this gateway. Its
 * id, new for each process, is what its leases and consumers are recorded
 * under in the database.
 */
export class PersistentSubscriptions {
  readonly gatewayId = randomUUID();
  private readonly hubs: Map<string, PersistentHub>;

  constructor({ stores, pollIntervalMs = 1_000, heartbeatMs = 5_000, ...options }: PersistentSubscriptionsOptions) {
    this.hubs = new Map(
      stores.map((store) => [store.id, new PersistentHub({ ...options, store, gatewayId: this.gatewayId, pollIntervalMs, heartbeatMs })]),
    );
  }

  hub(store: EventStore): PersistentHub {
    return this.hubs.get(store.id)!;
  }

  /** Consumers connected to this gateway, over every store. */
  get consumerCount(): number {
    let count = 0;
    for (const hub of this.hubs.values()) count += hub.consumerCount;
    return count;
  }

  /** Ends every consumer here and hands what they held back to the other gateways. */
  async stop(): Promise<void> {
    await Promise.all([...this.hubs.values()].map((hub) => hub.stop()));
  }
}
