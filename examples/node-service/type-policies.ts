import type { TypePolicies } from '@apollo/client';
import possibleTypes from '../generated/possible-types.js';

/**
 * The cache settings a client of the gateway wants. A stream id is unique only
 * within its store, so a Stream is keyed by both; Store, Cluster, Event and the
 * rest are keyed by their `id`, Apollo's default.
 */
export const typePolicies: TypePolicies = {
  Stream: { keyFields: ['store', 'id'] },
};

/** The members of the result unions, so that fragments on them match in the cache. */
export const unionTypes = possibleTypes.possibleTypes;
