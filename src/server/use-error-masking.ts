import { GraphQLError } from 'graphql';
import type { YogaServerOptions } from 'graphql-yoga';
import { fullLogger, type FullLogger, type Logger } from '../log.js';
import { OncePerInterval } from '../once-per-interval.js';
import { clientErrorOf, toClientGraphQLError } from './domain-errors.js';

type MaskedErrorsOption = Exclude<NonNullable<YogaServerOptions<object, object>['maskedErrors']>, boolean>;

/** The refusals and limits an operator wants to see, at warn: a client without access, or one asking too much. */
const WARNED_CODES = new Set(['UNAUTHENTICATED', 'FORBIDDEN', 'LIMIT_EXCEEDED', 'SLOW_CONSUMER', 'CLUSTER_UNAVAILABLE']);

function isExpected(error: unknown): boolean {
  return error instanceof GraphQLError && (error.originalError === undefined || error.originalError instanceof GraphQLError);
}

export interface ErrorMasking extends MaskedErrorsOption {
  /** Yoga's masking: what the client sees, with the lines on the gateway's logger. */
  maskError(error: unknown, message: string): GraphQLError;
  /** The same masking (an unexpected error becomes "Unexpected error."), with the lines on `log()` (a request's logger, which carries its id); `log` is called only for a line. */
  maskWith(log: () => FullLogger): (error: unknown) => GraphQLError;
  /**
   * Logs the refusals and limits among errors that need no masking (validation, refusals before
   * execution, an HTTP request refused whole). Yoga's masking leaves such errors to this, which
   * is told the request they belong to.
   */
  noteRefusals(errors: readonly GraphQLError[], log: () => FullLogger): void;
}

/**
 * The one place where failures become what the client sees. GraphQL errors
 * with a code (bad input) reach the client as they are; domain failures it can
 * act on (an unknown store, no healthy node) get their code; anything else is
 * a bug: the client gets a generic message and the operator the cause in the log.
 * A cause that floods (every request refused by an exhausted pool, one bug hit
 * by every subscriber) is logged once per interval, not once per request; so
 * is each refusal and limit (UNAUTHENTICATED, FORBIDDEN, LIMIT_EXCEEDED,
 * SLOW_CONSUMER, CLUSTER_UNAVAILABLE), at warn.
 */
export function errorMasking(logger: Logger): ErrorMasking {
  const base = fullLogger(logger);
  const baseLog = () => base;
  const logged = new OncePerInterval();
  // A request's masking runs before yoga's, which then sees the same errors again: each is logged once.
  const handled = new WeakSet<object>();

  const warnRefusal = (code: unknown, message: string, log: () => FullLogger) => {
    if (typeof code !== 'string' || !WARNED_CODES.has(code)) return;
    const admitted = logged.admit(`${code} ${message}`);
    if (admitted) log().warn(`request refused: ${message}${OncePerInterval.suffix(admitted)}`, { code });
  };

  const mask = (error: unknown, message: string, log: (() => FullLogger) | undefined): GraphQLError => {
    if (typeof error === 'object' && error !== null && handled.has(error)) return error as GraphQLError;
    // A refusal made as a GraphQL error (a limit, CSRF) waits for noteRefusals, which knows its request.
    if (isExpected(error) && log === undefined) return error as GraphQLError;
    const masked = maskUnhandled(error, message, log ?? baseLog);
    handled.add(masked);
    return masked;
  };

  const maskUnhandled = (error: unknown, message: string, log: () => FullLogger): GraphQLError => {
    if (isExpected(error)) {
      const expected = error as GraphQLError;
      warnRefusal(expected.extensions?.code, expected.message, log);
      return expected;
    }
    const located = error instanceof GraphQLError ? error : undefined;
    const original = located ? (located.originalError ?? located) : error;
    const clientError = clientErrorOf(original);
    if (clientError) {
      warnRefusal(clientError.extensions.code, clientError.message, log);
      return toClientGraphQLError(located, clientError);
    }
    const path = located?.path ? ` at ${located.path.join('.')}` : '';
    const admitted = logged.admit(`${path} ${original instanceof Error ? original.message : String(original)}`);
    if (admitted) log().error(`unexpected error${path}${OncePerInterval.suffix(admitted)}`, original);
    return toClientGraphQLError(located, { message, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
  };

  return {
    maskError: (error, message) => mask(error, message, undefined),
    // One argument only: it is handed to Array.map, whose second argument is an index.
    maskWith: (log) => (error) => mask(error, 'Unexpected error.', log),
    noteRefusals(errors, log) {
      for (const error of errors) {
        // Not marked: validation errors are cached, and the same one refuses the next request too.
        if (handled.has(error)) continue;
        warnRefusal(error.extensions?.code, error.message, log);
      }
    },
  };
}
