import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { type DocumentNode, type ExecutionArgs, type GraphQLError } from 'graphql';
import type { FullLogger, LogFields } from '../log.js';
import { requestIdOf } from './request-id.js';
import type { ErrorMasking } from './use-error-masking.js';
import { operationFields, operationOf } from './use-operation-log.js';

interface Running {
  started: number;
  requestId: string;
  name: string | null | undefined;
}

interface ConnectionState {
  operations: number;
  /** The request ids of the operations under way, by their graphql-ws id. */
  ids: Map<string, string>;
  /** Subscriptions under way, only while debug lines are written. */
  running?: Map<string, Running>;
}

/**
 * The log of graphql-ws operations: each gets a request id, its
 * connection's (the upgrade's `x-request-id`, or a new one) and its number
 * on the connection; refusals are logged with it, and at debug each
 * subscription gets a line when it ends (queries and mutations get theirs
 * from use-operation-log.ts).
 */
export function operationLogger(options: { log: FullLogger; masking: ErrorMasking } | undefined) {
  const connections = new WeakMap<object, ConnectionState>();
  const debug = options?.log.debugEnabled() ?? false;
  const stateOf = (connection: object) => {
    let state = connections.get(connection);
    if (!state) connections.set(connection, (state = { operations: 0, ids: new Map() }));
    return state;
  };
  return {
    /** The operation's request id. */
    begin(connection: object, request: IncomingMessage, id: string): string {
      const state = stateOf(connection);
      const requestId = `${requestIdOf(request) ?? 'ws'}:${++state.operations}`;
      state.ids.set(id, requestId);
      return requestId;
    },

    /** Notes a subscription's start, for its line when it ends; nothing unless debug lines are written. */
    started(connection: object, id: string, requestId: string, document: DocumentNode, name: string | null | undefined): void {
      if (!debug) return;
      const operation = operationOf(document, name);
      if (operation.type === 'subscription') (stateOf(connection).running ??= new Map()).set(id, { started: performance.now(), requestId, name: operation.name });
    },

    complete(connection: object, id: string): void {
      connections.get(connection)?.ids.delete(id);
      if (!debug || !options) return;
      const running = connections.get(connection)?.running;
      const entry = running?.get(id);
      if (!entry) return;
      running!.delete(id);
      const durationMs = Math.round((performance.now() - entry.started) * 1000) / 1000;
      const fields: LogFields = { requestId: entry.requestId, operationType: 'subscription', durationMs, outcome: 'complete' };
      if (entry.name) fields.operation = entry.name;
      options.log.debug(`subscription ${entry.name ?? '(anonymous)'} complete after ${durationMs} ms`, fields);
    },

    /** Logs the refusals among the errors an operation was refused with before it ran. */
    refusedBefore(connection: object, id: string, errors: readonly GraphQLError[], operationName: string | null | undefined): void {
      const ids = connections.get(connection)?.ids;
      const requestId = ids?.get(id);
      this.forget(connection, id);
      if (!options) return;
      const fields: LogFields = { requestId };
      if (operationName) fields.operation = operationName;
      options.masking.noteRefusals(errors, () => options.log.child(fields));
    },

    /** Forgets an operation that ended with no line of its own to write. */
    forget(connection: object, id: string): void {
      const state = connections.get(connection);
      state?.ids.delete(id);
      state?.running?.delete(id);
    },

    /** The masking of what an operation fails with before it runs, with lines that carry its request id. */
    maskForOperation(connection: object, id: string, fallback: (error: GraphQLError) => GraphQLError): (error: GraphQLError) => GraphQLError {
      if (!options) return fallback;
      return options.masking.maskWith(() => options.log.child({ requestId: connections.get(connection)?.ids.get(id) }));
    },

    /** Logs a refusal (a credential refused, a limit hit) with these fields, as the masking logs them. */
    refused(error: unknown, fields: LogFields): void {
      options?.masking.maskWith(() => options.log.child(fields))(error);
    },

    /** The masking of a subscription's results, with lines that carry its request id. */
    maskFor(args: ExecutionArgs, fallback: (error: GraphQLError) => GraphQLError): (error: GraphQLError) => GraphQLError {
      if (!options) return fallback;
      return options.masking.maskWith(() => options.log.child(operationFields(args.contextValue, args.document, args.operationName)));
    },
  };
}
