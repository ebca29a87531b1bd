import type { StoreRoute } from '../store-route.js';
import { backgroundSpan } from '../store-spans.js';
import type { Page, RecordedEvent } from '../types.js';
import { ackEvents } from './ack-events.js';
import { claimDue, type ClaimDueRequest, type DueClaim } from './claim-due.js';
import { claimFresh, type ClaimFreshOutcome, type ClaimFreshRequest } from './claim-fresh.js';
import { gatewayLeases, type HeldLease } from './gateway-leases.js';
import { heartbeatConsumers, type Heartbeat } from './heartbeat-consumers.js';
import { listSubscriptions, type ListSubscriptionsOptions } from './list-subscriptions.js';
import { nackEvent, type NackRequest } from './nack-event.js';
import { readParked, type ReadParkedOptions } from './read-parked.js';
import { registerConsumer } from './register-consumer.js';
import { releaseConsumer } from './release-consumer.js';
import { releaseGateway } from './release-gateway.js';
import { removeSubscription } from './remove-subscription.js';
import { replayParked } from './replay-parked.js';
import { saveSubscription } from './save-subscription.js';
import type {
  AckRequest,
  SaveOutcome,
  SettingsChange,
  SettleOutcome,
  StoredSubscription,
  SubscriptionDefinition,
  SubscriptionStatus,
} from './types.js';

/** A store's persistent subscriptions: their definitions, consumers, leases, acks and parked events. */
export class PersistentStore {
  constructor(private readonly route: StoreRoute) {}

  save(definition: SubscriptionDefinition, settings: SettingsChange): Promise<SaveOutcome> {
    return this.route.write((db, tables) => saveSubscription(db, tables, definition, settings));
  }

  remove(name: string): Promise<boolean> {
    return this.route.write((db, tables) => removeSubscription(db, tables, name));
  }

  list(options: ListSubscriptionsOptions): Promise<SubscriptionStatus[]> {
    return this.route.read((db, tables) => listSubscriptions(db, tables, options));
  }

  readParked(options: ReadParkedOptions): Promise<Page<RecordedEvent> | null> {
    return this.route.read((db, tables) => readParked(db, tables, options));
  }

  replayParked(subscription: string): Promise<number | null> {
    return this.route.write((db, tables) => replayParked(db, tables, subscription));
  }

  registerConsumer(subscription: string, consumerId: string, gatewayId: string, ackKey: Buffer): Promise<StoredSubscription | null> {
    return this.route.write((db, tables) => registerConsumer(db, tables, subscription, consumerId, gatewayId, ackKey));
  }

  releaseConsumer(subscription: string, consumerId: string): Promise<number> {
    return this.route.write((db, tables) => releaseConsumer(db, tables, subscription, consumerId));
  }

  releaseGateway(gatewayId: string): Promise<void> {
    return this.route.write((db, tables) => releaseGateway(db, tables, gatewayId));
  }

  heartbeatConsumers(gatewayId: string, forgetAfterMs: number, served: readonly string[]): Promise<Heartbeat> {
    return this.route.write((db, tables) => heartbeatConsumers(db, tables, gatewayId, forgetAfterMs, served));
  }

  claimDue(request: ClaimDueRequest): Promise<DueClaim | null> {
    return backgroundSpan('persistent claim due', this.route.tables, { 'gater.subscription': request.subscription }, () => this.route.write((db, tables) => claimDue(db, tables, request)));
  }

  claimFresh(request: ClaimFreshRequest): Promise<ClaimFreshOutcome> {
    return backgroundSpan('persistent claim fresh', this.route.tables, { 'gater.subscription': request.subscription }, () => this.route.write((db, tables) => claimFresh(db, tables, request)));
  }

  gatewayLeases(subscription: string, gatewayId: string): Promise<HeldLease[]> {
    return this.route.read((db, tables) => gatewayLeases(db, tables, subscription, gatewayId), true);
  }

  /** `since`: when the oldest of the acks was asked for (`performance.now()`), whose deadline the batch keeps. */
  ackEvents(gatewayId: string, requests: readonly AckRequest[], since?: number): Promise<SettleOutcome[]> {
    return this.route.write((db, tables) => ackEvents(db, tables, gatewayId, requests), { since });
  }

  nackEvent(gatewayId: string, request: NackRequest): Promise<SettleOutcome> {
    return this.route.write((db, tables) => nackEvent(db, tables, gatewayId, request));
  }
}
