import { GraphQLError } from 'graphql';
import { withoutStack } from '../refusal-error.js';

/** No more than the first 64 characters of a value, however much was sent: what an error message shows of it. */
export function shortened(value: string): string {
  return value.length > 64 ? `${value.slice(0, 64)}…` : value;
}

/** A value as an error message quotes it (`shortened`). */
export function quoted(value: string): string {
  return JSON.stringify(shortened(value));
}

/** An invalid argument; `field` is its path in the request, such as `input.events[2].type`. */
export function badUserInput(field: string, problem: string): GraphQLError {
  return withoutStack(() => new GraphQLError(`${field}: ${problem}`, { extensions: { code: 'BAD_USER_INPUT', field } }));
}

/** A request past one of the gateway's budgets; `limit` names the variable that sets it, such as `GATER_MAX_ALIASES`. */
export function limitExceeded(limit: string, problem: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return withoutStack(() => new GraphQLError(`${problem} (${limit})`, { extensions: { ...extensions, code: 'LIMIT_EXCEEDED', limit } }));
}

/** A write to a stream that was hard-deleted: a tombstone takes nothing more (`what`: what was refused, such as `snapshots`). */
export function deletedForGood(field: string, streamId: string, what: string): GraphQLError {
  return badUserInput(field, `stream ${quoted(streamId)} was deleted for good (hard delete) and takes no ${what}`);
}
