import type { GraphQLError, GraphQLFormattedError } from 'graphql';

/** An error as yoga's processor shows it: without the `http` extension, which is for an HTTP answer's status. */
export function shownError(error: GraphQLError): GraphQLFormattedError {
  const shown = error.toJSON();
  if (error.extensions.http === undefined) return shown;
  const { http: _http, ...extensions } = error.extensions;
  const { extensions: _all, ...rest } = shown;
  return Object.keys(extensions).length > 0 ? { ...rest, extensions } : rest;
}

/**
 * Gives a syntax error what yoga gives it when it parses with its own request
 * in the context: a code and a 400. The parse cache that every path shares
 * keeps the error object the first parse made, and yoga answers from the
 * cache without marking it again, so unmarked it would be a 200 from then on.
 */
export function markAsParseFailure(error: GraphQLError): void {
  const extensions = error.extensions as { code?: string; http?: { spec?: boolean; status?: number } };
  extensions.code ??= 'GRAPHQL_PARSE_FAILED';
  extensions.http ??= {};
  extensions.http.spec ??= true;
  extensions.http.status ??= 400;
}
