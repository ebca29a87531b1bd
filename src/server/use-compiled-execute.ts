import type { Plugin } from 'graphql-yoga';
import { compiledExecute } from './compiled-execution.js';

/**
 * Queries and mutations run as operations graphql-jit compiled once per
 * parsed document, as subscription events over graphql-ws do. Yoga's default
 * executor also copies every variable value deeply before running, which for
 * an append of many events cost as much again as checking them; it adds only
 * @defer and @stream, which this schema does not offer.
 */
export function useCompiledExecute(): Plugin {
  return {
    onExecute({ setExecuteFn }) {
      setExecuteFn(compiledExecute);
    },
  };
}
