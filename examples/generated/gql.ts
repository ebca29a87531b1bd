/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  subscription WatchStream($store: ID, $streamId: String!) {\n    byStream(store: $store, streamId: $streamId, fromVersion: 0) { id version type data created }\n  }\n": typeof types.WatchStreamDocument,
    "\n  mutation AppendWithExpectedVersion($input: AppendEventsInput!) {\n    appendEvents(input: $input) {\n      __typename\n      ... on AppendEventsSuccess { streamId version position }\n      ... on WrongExpectedVersionError { message streamId expected actualVersion }\n      ... on StreamDeletedError { message streamId }\n      ... on AppendConditionFailedError { message position }\n    }\n  }\n": typeof types.AppendWithExpectedVersionDocument,
    "\n  subscription PersistentDeliveries($store: ID, $subscription: String!) {\n    persistent(store: $store, subscription: $subscription) { retryCount event { store id streamId version type data } }\n  }\n": typeof types.PersistentDeliveriesDocument,
    "\n  mutation Ack($store: ID, $subscription: String!, $eventId: ID!) {\n    ackEvent(store: $store, subscription: $subscription, eventId: $eventId)\n  }\n": typeof types.AckDocument,
    "\n  mutation Nack($store: ID, $subscription: String!, $eventId: ID!, $action: NackAction, $reason: String) {\n    nackEvent(store: $store, subscription: $subscription, eventId: $eventId, action: $action, reason: $reason)\n  }\n": typeof types.NackDocument,
    "\n  subscription FollowAll($store: ID, $fromPosition: Long) {\n    byStream(store: $store, streamId: \"$all\", fromPosition: $fromPosition) { store id streamId version position type data }\n  }\n": typeof types.FollowAllDocument,
    "\n  query StreamPage($store: ID, $id: String!, $first: Int, $after: String) {\n    stream(store: $store, id: $id) {\n      store\n      id\n      version\n      events(first: $first, after: $after) {\n        edges { node { store id version position type data } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.StreamPageDocument,
    "\n  mutation SaveSubscription($input: SaveSubscriptionInput!) {\n    saveSubscription(input: $input) { store name checkpoint }\n  }\n": typeof types.SaveSubscriptionDocument,
    "\n  query StreamVersions($id: String!, $store: ID!) {\n    mine: stream(id: $id) { store id version exists }\n    theirs: stream(store: $store, id: $id) { store id version exists }\n    cluster { id status }\n  }\n": typeof types.StreamVersionsDocument,
};
const documents: Documents = {
    "\n  subscription WatchStream($store: ID, $streamId: String!) {\n    byStream(store: $store, streamId: $streamId, fromVersion: 0) { id version type data created }\n  }\n": types.WatchStreamDocument,
    "\n  mutation AppendWithExpectedVersion($input: AppendEventsInput!) {\n    appendEvents(input: $input) {\n      __typename\n      ... on AppendEventsSuccess { streamId version position }\n      ... on WrongExpectedVersionError { message streamId expected actualVersion }\n      ... on StreamDeletedError { message streamId }\n      ... on AppendConditionFailedError { message position }\n    }\n  }\n": types.AppendWithExpectedVersionDocument,
    "\n  subscription PersistentDeliveries($store: ID, $subscription: String!) {\n    persistent(store: $store, subscription: $subscription) { retryCount event { store id streamId version type data } }\n  }\n": types.PersistentDeliveriesDocument,
    "\n  mutation Ack($store: ID, $subscription: String!, $eventId: ID!) {\n    ackEvent(store: $store, subscription: $subscription, eventId: $eventId)\n  }\n": types.AckDocument,
    "\n  mutation Nack($store: ID, $subscription: String!, $eventId: ID!, $action: NackAction, $reason: String) {\n    nackEvent(store: $store, subscription: $subscription, eventId: $eventId, action: $action, reason: $reason)\n  }\n": types.NackDocument,
    "\n  subscription FollowAll($store: ID, $fromPosition: Long) {\n    byStream(store: $store, streamId: \"$all\", fromPosition: $fromPosition) { store id streamId version position type data }\n  }\n": types.FollowAllDocument,
    "\n  query StreamPage($store: ID, $id: String!, $first: Int, $after: String) {\n    stream(store: $store, id: $id) {\n      store\n      id\n      version\n      events(first: $first, after: $after) {\n        edges { node { store id version position type data } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.StreamPageDocument,
    "\n  mutation SaveSubscription($input: SaveSubscriptionInput!) {\n    saveSubscription(input: $input) { store name checkpoint }\n  }\n": types.SaveSubscriptionDocument,
    "\n  query StreamVersions($id: String!, $store: ID!) {\n    mine: stream(id: $id) { store id version exists }\n    theirs: stream(store: $store, id: $id) { store id version exists }\n    cluster { id status }\n  }\n": types.StreamVersionsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WatchStream($store: ID, $streamId: String!) {\n    byStream(store: $store, streamId: $streamId, fromVersion: 0) { id version type data created }\n  }\n"): (typeof documents)["\n  subscription WatchStream($store: ID, $streamId: String!) {\n    byStream(store: $store, streamId: $streamId, fromVersion: 0) { id version type data created }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AppendWithExpectedVersion($input: AppendEventsInput!) {\n    appendEvents(input: $input) {\n      __typename\n      ... on AppendEventsSuccess { streamId version position }\n      ... on WrongExpectedVersionError { message streamId expected actualVersion }\n      ... on StreamDeletedError { message streamId }\n      ... on AppendConditionFailedError { message position }\n    }\n  }\n"): (typeof documents)["\n  mutation AppendWithExpectedVersion($input: AppendEventsInput!) {\n    appendEvents(input: $input) {\n      __typename\n      ... on AppendEventsSuccess { streamId version position }\n      ... on WrongExpectedVersionError { message streamId expected actualVersion }\n      ... on StreamDeletedError { message streamId }\n      ... on AppendConditionFailedError { message position }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription PersistentDeliveries($store: ID, $subscription: String!) {\n    persistent(store: $store, subscription: $subscription) { retryCount event { store id streamId version type data } }\n  }\n"): (typeof documents)["\n  subscription PersistentDeliveries($store: ID, $subscription: String!) {\n    persistent(store: $store, subscription: $subscription) { retryCount event { store id streamId version type data } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Ack($store: ID, $subscription: String!, $eventId: ID!) {\n    ackEvent(store: $store, subscription: $subscription, eventId: $eventId)\n  }\n"): (typeof documents)["\n  mutation Ack($store: ID, $subscription: String!, $eventId: ID!) {\n    ackEvent(store: $store, subscription: $subscription, eventId: $eventId)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Nack($store: ID, $subscription: String!, $eventId: ID!, $action: NackAction, $reason: String) {\n    nackEvent(store: $store, subscription: $subscription, eventId: $eventId, action: $action, reason: $reason)\n  }\n"): (typeof documents)["\n  mutation Nack($store: ID, $subscription: String!, $eventId: ID!, $action: NackAction, $reason: String) {\n    nackEvent(store: $store, subscription: $subscription, eventId: $eventId, action: $action, reason: $reason)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FollowAll($store: ID, $fromPosition: Long) {\n    byStream(store: $store, streamId: \"$all\", fromPosition: $fromPosition) { store id streamId version position type data }\n  }\n"): (typeof documents)["\n  subscription FollowAll($store: ID, $fromPosition: Long) {\n    byStream(store: $store, streamId: \"$all\", fromPosition: $fromPosition) { store id streamId version position type data }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StreamPage($store: ID, $id: String!, $first: Int, $after: String) {\n    stream(store: $store, id: $id) {\n      store\n      id\n      version\n      events(first: $first, after: $after) {\n        edges { node { store id version position type data } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): (typeof documents)["\n  query StreamPage($store: ID, $id: String!, $first: Int, $after: String) {\n    stream(store: $store, id: $id) {\n      store\n      id\n      version\n      events(first: $first, after: $after) {\n        edges { node { store id version position type data } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SaveSubscription($input: SaveSubscriptionInput!) {\n    saveSubscription(input: $input) { store name checkpoint }\n  }\n"): (typeof documents)["\n  mutation SaveSubscription($input: SaveSubscriptionInput!) {\n    saveSubscription(input: $input) { store name checkpoint }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query StreamVersions($id: String!, $store: ID!) {\n    mine: stream(id: $id) { store id version exists }\n    theirs: stream(store: $store, id: $id) { store id version exists }\n    cluster { id status }\n  }\n"): (typeof documents)["\n  query StreamVersions($id: String!, $store: ID!) {\n    mine: stream(id: $id) { store id version exists }\n    theirs: stream(store: $store, id: $id) { store id version exists }\n    cluster { id status }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;