import { GraphQLError, type DocumentNode, type ExecutionResult, type Source, type SourceLocation } from 'graphql';
import { withoutStack } from '../refusal-error.js';

/** The offset in `body` of a 1-based line and column, with line ends counted as graphql-js counts them. */
function positionOf(body: string, { line, column }: SourceLocation): number {
  const lineEnd = /\r\n|[\n\r]/g;
  let lineStart = 0;
  for (let current = 1; current < line; current++) {
    const match = lineEnd.exec(body);
    if (match === null) break;
    lineStart = match.index + match[0].length;
  }
  return lineStart + column - 1;
}

/** Keeps the stack of the error's cause, which the log of an unexpected one shows; its own would show only this function. */
function asGraphQLJsError(error: GraphQLError, source: Source | undefined): GraphQLError {
  const positions = source && error.locations ? error.locations.map((location) => positionOf(source.body, location)) : undefined;
  return withoutStack(
    () =>
      new GraphQLError(error.message, {
        source: positions ? source : undefined,
        positions,
        path: error.path,
        originalError: error.originalError ?? undefined,
        extensions: error.extensions,
      }),
  );
}

/**
 * A graphql-jit result as graphql-js would have answered it: errors before
 * data, and each error a graphql-js error that knows where in the document
 * it happened (graphql-jit's know only the line and column, which a new
 * error made from them, as the error masking makes, would lose).
 */
export function asGraphQLJsResult(result: ExecutionResult, document: DocumentNode): ExecutionResult {
  if (result.errors === undefined || result.errors.length === 0) return result;
  const source = document.loc?.source;
  const errors = result.errors.map((error) => asGraphQLJsError(error, source));
  // No data at all (variables refused before execution) stays no data, as graphql-js answers it.
  return 'data' in result ? { errors, data: result.data } : { errors };
}
