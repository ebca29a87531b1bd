import { GraphQLError } from 'graphql';

/** An invalid argument; `field` is its path in the request, such as `input.events[2].type`. */
export function badUserInput(field: string, problem: string): GraphQLError {
  return new GraphQLError(`${field}: ${problem}`, { extensions: { code: 'BAD_USER_INPUT', field } });
}
