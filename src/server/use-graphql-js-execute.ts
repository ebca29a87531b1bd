import { execute } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Queries and mutations run on graphql-js's own executor, as subscriptions
 * over graphql-ws already do. Yoga's default one also copies every variable
 * value deeply before running, which for an append of many events cost as
 * much again as checking them; it adds only @defer and @stream, which this
 * schema does not offer.
 */
export function useGraphQLJsExecute(): Plugin {
  return {
    onExecute({ setExecuteFn }) {
      setExecuteFn(execute);
    },
  };
}
