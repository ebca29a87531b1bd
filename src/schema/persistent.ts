import type { PersistentDelivery } from '../subscriptions/persistent/consumer.js';
import { ackEvent, ackEvents, MAX_ACKS_PER_CALL, nackEvent } from '../resolvers/persistent-acks.js';
import { consumePersistent } from '../resolvers/persistent-consumers.js';
import {
  listSubscriptions,
  parkedEvents,
  removeSubscription,
  replayParked,
  saveSubscription,
  subscriptionLag,
  type SubscriptionView,
} from '../resolvers/persistent-subscriptions.js';
import { builder } from './builder.js';
import { EventConnection, EventType } from './event.js';
import { NackActionEnum, SaveSubscriptionInput, SubscriptionTypeEnum } from './persistent-inputs.js';

const PersistentSubscriptionType = builder.objectRef<SubscriptionView>('PersistentSubscription').implement({
  description: 'A durable subscription whose events are shared among its consumers and acknowledged one by one.',
  fields: (t) => ({
    name: t.exposeString('name'),
    store: t.id({
      description: 'The store the subscription is in: with its name, what names it across stores.',
      resolve: (subscription) => subscription.store.id,
    }),
    type: t.field({ type: SubscriptionTypeEnum, resolve: (subscription) => subscription.type }),
    selector: t.exposeString('selector', { nullable: true, description: 'The stream id (or "$all") of BY_STREAM, the event type of BY_EVENT_TYPE.' }),
    pattern: t.expose('pattern', { type: 'JSON', nullable: true, description: 'The pattern of BY_EVENT_PATTERN and BY_EVENT_PAYLOAD.' }),
    startFrom: t.expose('startFrom', {
      type: 'Long',
      nullable: true,
      description: 'The position it started from (inclusive); null: the end of the log when it was created.',
    }),
    maxRetries: t.exposeInt('maxRetries'),
    ackTimeoutMs: t.exposeInt('ackTimeoutMs'),
    maxInFlight: t.exposeInt('maxInFlight'),
    checkpoint: t.expose('checkpoint', {
      type: 'Long',
      description: 'Every selected event at or below this position is done (acked or skipped) or parked.',
    }),
    lag: t.field({
      type: 'Long',
      description: "How far its checkpoint trails the store's head: head position minus checkpoint, 0 once it has caught up.",
      resolve: (subscription, _args, ctx) => subscriptionLag(ctx, subscription),
    }),
    inFlightCount: t.exposeInt('inFlightCount', { description: 'Events delivered and not yet done, or waiting to be delivered again.' }),
    parkedCount: t.exposeInt('parkedCount'),
    consumerCount: t.exposeInt('consumerCount', { description: 'Consumers connected to it, on every gateway.' }),
  }),
});

const PersistentDeliveryType = builder.objectRef<PersistentDelivery>('PersistentDelivery').implement({
  description: 'One delivery of a persistent subscription: ack it with ackEvent (or many at once with ackEvents), or nack it with nackEvent.',
  fields: (t) => ({
    event: t.field({ type: EventType, resolve: (delivery) => delivery.event }),
    retryCount: t.exposeInt('retryCount', { description: 'How many times the event was delivered before this delivery.' }),
  }),
});

builder.queryFields((t) => ({
  persistentSubscriptions: t.field({
    type: [PersistentSubscriptionType],
    description: 'The persistent subscriptions of a store, by name, with their checkpoint and counts.',
    args: { store: t.arg.id() },
    resolve: (_root, args, ctx) => listSubscriptions(ctx, args),
  }),
  parkedEvents: t.field({
    type: EventConnection,
    description: "A persistent subscription's parked events, in position order.",
    args: {
      store: t.arg.id(),
      subscription: t.arg.string({ required: true }),
      first: t.arg.int({ description: 'Page size, 1 to 1000; default 100.' }),
      after: t.arg.string(),
    },
    resolve: (_root, args, ctx) => parkedEvents(ctx, args),
  }),
}));

builder.mutationFields((t) => ({
  saveSubscription: t.field({
    type: PersistentSubscriptionType,
    description: 'Creates a persistent subscription, or changes the settings of the one of that name (what it selects cannot change).',
    args: { input: t.arg({ type: SaveSubscriptionInput, required: true }) },
    resolve: (_root, { input }, ctx) => saveSubscription(ctx, input),
  }),
  removeSubscription: t.boolean({
    description: 'Removes a persistent subscription with its in-flight and parked events; false when there was none.',
    args: { store: t.arg.id(), name: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => removeSubscription(ctx, args),
  }),
  ackEvent: t.boolean({
    description: 'The event is done for good. False when it was not in flight (already acked, or never delivered).',
    args: { store: t.arg.id(), subscription: t.arg.string({ required: true }), eventId: t.arg.id({ required: true }) },
    resolve: (_root, args, ctx) => ackEvent(ctx, { ...args, eventId: args.eventId.toString() }),
  }),
  ackEvents: t.field({
    type: ['Boolean'],
    description:
      `Acks many events of one subscription at once (at most ${MAX_ACKS_PER_CALL}): answers, in the order asked, what ackEvent ` +
      'would answer for each. A consumer acking what it received since its last ack sends one operation instead of one per event.',
    args: { store: t.arg.id(), subscription: t.arg.string({ required: true }), eventIds: t.arg.idList({ required: true }) },
    resolve: (_root, args, ctx) => ackEvents(ctx, { ...args, eventIds: args.eventIds.map(String) }),
  }),
  nackEvent: t.boolean({
    description: 'The consumer could not handle the event. False when it was not in flight.',
    args: {
      store: t.arg.id(),
      subscription: t.arg.string({ required: true }),
      eventId: t.arg.id({ required: true }),
      action: t.arg({ type: NackActionEnum, defaultValue: 'retry' }),
      reason: t.arg.string({ description: 'Kept with a parked event.' }),
    },
    resolve: (_root, args, ctx) => nackEvent(ctx, { ...args, eventId: args.eventId.toString() }),
  }),
  replayParked: t.int({
    description: 'Sends the parked events back to delivery, their retry count starting again from 0; answers how many.',
    args: { store: t.arg.id(), subscription: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => replayParked(ctx, args),
  }),
}));

builder.subscriptionFields((t) => ({
  persistent: t.field({
    type: PersistentDeliveryType,
    description:
      'Consumes a persistent subscription: its events, in position order, shared among all its consumers on every gateway, ' +
      'at most maxInFlight unacknowledged at a time. Ending it hands the unacknowledged ones back for redelivery.',
    args: { store: t.arg.id(), subscription: t.arg.string({ required: true }) },
    subscribe: (_root, args, ctx) => consumePersistent(ctx, args),
    resolve: (delivery: PersistentDelivery) => delivery,
  }),
}));
