import type { TypePolicies } from '@apollo/client';
import possibleTypes from '../generated/possible-types.js';

/** A list that the gateway answers whole: what comes replaces what was cached, even when it is shorter. */
const replacedWhole = { merge: false } as const;

/**
 * The cache settings a client of the gateway wants. Stream ids, event ids,
 * snapshots and persistent subscription names are unique only within their
 * store, so those types are keyed by their store too (select `store` with
 * them); Store, Cluster and Gateway are keyed by their `id`, Apollo's
 * default. A ClusterNode is a node as one gateway sees it (its health, its
 * latency): each gateway's view stays with that gateway, not merged into
 * one entity by the node's id. A stream's metadata belongs to its stream. The lists
 * below shrink when a subscription is removed or a gateway leaves: the
 * answer replaces them.
 */
export const typePolicies: TypePolicies = {
  Stream: { keyFields: ['store', 'id'] },
  Event: { keyFields: ['store', 'id'] },
  Snapshot: { keyFields: ['store', 'sourceUuid', 'streamUuid', 'version'] },
  PersistentSubscription: { keyFields: ['store', 'name'] },
  ClusterNode: { keyFields: false },
  StreamMetadata: { merge: true },
  Query: { fields: { stores: replacedWhole, persistentSubscriptions: replacedWhole, clusterNodes: replacedWhole, liveSubscriptions: replacedWhole } },
  Cluster: { fields: { nodes: replacedWhole, gateways: replacedWhole } },
  Gateway: { fields: { nodes: replacedWhole } },
};

/** The members of the result unions, so that fragments on them match in the cache. */
export const unionTypes = possibleTypes.possibleTypes;
