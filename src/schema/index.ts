import { lexicographicSortSchema, type GraphQLSchema } from 'graphql';
import { builder } from './builder.js';
import './scalars.js';
import './event.js';
import './stream.js';
import './stream-metadata.js';
import './store.js';
import './append.js';
import './append-to-streams.js';
import './stream-lifecycle.js';
import './snapshot.js';
import './live.js';
import './persistent.js';
import './cluster.js';
import './live-counts.js';

/** The gateway's schema, sorted so that its printed form is stable. */
export function buildSchema(): GraphQLSchema {
  return lexicographicSortSchema(builder.toSchema());
}
