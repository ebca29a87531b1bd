import { GraphQLError } from 'graphql';
import { withoutStack } from '../refusal-error.js';

/** An invalid argument; `field` is its path in the request, such as `input.events[2].type`. */
export function badUserInput(field: string, problem: string): GraphQLError {
  return withoutStack(() => new GraphQLError(`${field}: ${problem}`, { extensions: { code: 'BAD_USER_INPUT', field } }));
}

/** A request past one of the gateway's budgets; `limit` names the variable that sets it, such as `GATER_MAX_ALIASES`. */
export function limitExceeded(limit: string, problem: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return withoutStack(() => new GraphQLError(`${problem} (${limit})`, { extensions: { ...extensions, code: 'LIMIT_EXCEEDED', limit } }));
}
