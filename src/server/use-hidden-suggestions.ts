import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { useResultErrors } from './use-result-errors.js';

/**
 * graphql-js's hint after a name it does not know: `Did you mean "appendEvents"?` for a field, an
 * argument, a type or an input field, `Did you mean the enum value "RETRY"?` for an enum value. No name
 * it suggests holds a question mark. GraphQL Armor's block-field-suggestions misses the enum values.
 */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/** The error without graphql-js's suggestions of names; the same error when it has none. */
export function withoutSuggestions(error: GraphQLError): GraphQLError {
  if (!error.message.includes('Did you mean')) return error;
  return new GraphQLError(error.message.replace(SUGGESTION, ''), {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: error.extensions,
  });
}

/**
 * Where the schema may not be introspected by everyone, its names are not handed out one guess at a
 * time either: a misspelt field, argument, type, input field or enum value is refused without the names
 * graphql-js suggests (tools such as clairvoyance rebuild a schema from them). Validation, and the
 * variables refused before execution, on every transport: each validates and executes through envelop.
 */
export function useHiddenSuggestions(): Plugin {
  return {
    ...useResultErrors(withoutSuggestions),
    onValidate: () => ({ valid, result, setResult }) => {
      if (!valid) setResult(result.map((error) => (error instanceof GraphQLError ? withoutSuggestions(error) : error)));
    },
  };
}
