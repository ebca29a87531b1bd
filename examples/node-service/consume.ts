import type { ApolloClient } from '@apollo/client';
import { graphql } from '../generated/gql.js';
import type { NackAction, PersistentDeliveriesSubscription } from '../generated/graphql.js';
import { overSocket } from './client.js';

const DELIVERIES = graphql(`
  subscription PersistentDeliveries($store: ID, $subscription: String!) {
    persistent(store: $store, subscription: $subscription) { retryCount event { store id streamId version type data } }
  }
`);

const ACK = graphql(`
  mutation Ack($store: ID, $subscription: String!, $eventId: ID!) {
    ackEvent(store: $store, subscription: $subscription, eventId: $eventId)
  }
`);

const NACK = graphql(`
  mutation Nack($store: ID, $subscription: String!, $eventId: ID!, $action: NackAction, $reason: String) {
    nackEvent(store: $store, subscription: $subscription, eventId: $eventId, action: $action, reason: $reason)
  }
`);

export type Delivery = PersistentDeliveriesSubscription['persistent'];

/** What a handler decides for a delivery: done, or given back with a nack. */
export type Verdict = 'ack' | { nack: NackAction; reason: string };

export interface Consumer {
  /** Settles that have been answered: `true` when the gateway counted them. */
  settled: Promise<boolean>[];
  stop(): void;
}

/**
 * Consumes a persistent subscription. Acks and nacks go over the same
 * graphql-ws connection as the deliveries: the gateway counts them only from
 * the consumer the event was delivered to.
 */
export function consume(apollo: ApolloClient, subscription: string, handle: (delivery: Delivery) => Verdict | Promise<Verdict>, { store }: { store?: string } = {}): Consumer {
  const settled: Promise<boolean>[] = [];
  const settle = async (delivery: Delivery): Promise<boolean> => {
    const verdict = await handle(delivery);
    const eventId = delivery.event.id;
    if (verdict === 'ack') {
      const { data } = await apollo.mutate({ mutation: ACK, variables: { store, subscription, eventId }, context: overSocket });
      return data?.ackEvent === true;
    }
    const { data } = await apollo.mutate({ mutation: NACK, variables: { store, subscription, eventId, action: verdict.nack, reason: verdict.reason }, context: overSocket });
    return data?.nackEvent === true;
  };
  const deliveries = apollo.subscribe({ query: DELIVERIES, variables: { store, subscription } }).subscribe({
    next: ({ data, error }) => {
      if (error) throw error;
      if (data) settled.push(settle(data.persistent));
    },
  });
  return { settled, stop: () => deliveries.unsubscribe() };
}
