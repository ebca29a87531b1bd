import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { toClientGraphQLError } from './domain-errors.js';
import { useResultErrors } from './use-result-errors.js';

const VARIABLE = /^Variable "\$([^"]+)" (?:got invalid value|of required type|of non-null type)/;
const AT_PATH = / at "([^"]+)"/;
const MISSING_FIELD = /Field "([^"]+)" of required type "[^"]+" was not provided/;

/** Where in the request a variable error points: `input.events[0].type` and the like. */
function fieldOf(message: string, variable: string): string {
  const base = AT_PATH.exec(message)?.[1] ?? variable;
  const missing = MISSING_FIELD.exec(message)?.[1];
  return missing ? `${base}.${missing}` : base;
}

/**
 * graphql-js refuses a variable that does not fit its type (a missing
 * required field, a null where none is allowed, a wrong scalar) before any
 * resolver runs, with no code. Such an error is the client's bad input:
 * give it BAD_USER_INPUT and name the field, as the resolvers' own checks do.
 * The answer has no data, so it is answered as a validation failure is
 * (400 for application/graphql-response+json, as GraphQL over HTTP asks).
 */
export function withInputErrorCode(error: GraphQLError): GraphQLError {
  const variable = VARIABLE.exec(error.message)?.[1];
  if (variable === undefined || error.extensions.code !== undefined) return error;
  const field = fieldOf(error.message, variable);
  return toClientGraphQLError(error, { message: `${field}: ${error.message}`, extensions: { ...error.extensions, code: 'BAD_USER_INPUT', field, http: { spec: true, status: 400 } } });
}

export function useInputErrorCodes(): Plugin {
  return useResultErrors(withInputErrorCode);
}
