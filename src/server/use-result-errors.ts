import type { ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * Maps each error of every single result with `map`: a query's or a mutation's, and a subscription's
 * refused before it started (its variables, its field's checks). A subscription's events are its own.
 */
export function useResultErrors(map: (error: GraphQLError) => GraphQLError): Plugin {
  const mapped = (result: ExecutionResult): ExecutionResult => (result.errors ? { ...result, errors: result.errors.map(map) } : result);
  return {
    onExecute: () => ({
      onExecuteDone({ result, setResult }) {
        if (!(Symbol.asyncIterator in result)) setResult(mapped(result));
      },
    }),
    onSubscribe: () => ({
      onSubscribeResult({ result, setResult }) {
        if (!(Symbol.asyncIterator in result)) setResult(mapped(result));
      },
    }),
  };
}
