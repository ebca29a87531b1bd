import { performance } from 'node:perf_hooks';
import { getOperationAST, type DocumentNode, type ExecutionResult, type GraphQLError } from 'graphql';
import type { IncomingMessage } from 'node:http';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { FullLogger, LogFields } from '../log.js';
import { requestIdOf } from './request-id.js';
import type { ErrorMasking } from './use-error-masking.js';

/** What the log reads of a request's context: its id (graphql-ws operations), its node request (HTTP), and the store it opened. */
interface LoggedContext {
  requestId?: string;
  req?: IncomingMessage;
  door?: { openedStore?: string };
}

/** The operation a document runs, as the client named it (by operationName or in the document). */
export function operationOf(document: DocumentNode | undefined, operationName: string | null | undefined): { type?: string; name?: string } {
  const operation = document ? getOperationAST(document, operationName) : undefined;
  return { type: operation?.operation, name: operation?.name?.value ?? operationName ?? undefined };
}

/** The fields of a request's log lines: its id, and its operation and store where known. */
export function operationFields(context: unknown, document: DocumentNode | undefined, operationName: string | null | undefined): LogFields {
  const { requestId, req, door } = (context ?? {}) as LoggedContext;
  const fields: LogFields = { requestId: requestId ?? requestIdOf(req) };
  const { name } = operationOf(document, operationName);
  if (name) fields.operation = name;
  if (door?.openedStore !== undefined) fields.store = door.openedStore;
  return fields;
}

/** `ok`, or the codes of the errors the answer carries. */
function outcomeOf(errors: readonly GraphQLError[] | undefined): { outcome: string; errorCodes?: string[] } {
  if (!errors?.length) return { outcome: 'ok' };
  const codes = [...new Set(errors.map((error) => String(error.extensions?.code ?? 'UNKNOWN')))];
  return { outcome: 'errors', errorCodes: codes };
}

/**
 * Ties each operation's log lines to its request: its failures are masked
 * (see use-error-masking.ts) with lines that carry the request id, the
 * operation name and the store, and at debug each completed operation gets
 * one line with its type, name, duration and outcome. With debug off, an
 * operation costs no clock read and no log object; a line is made only for
 * what is logged.
 */
export function useOperationLog(log: FullLogger, masking: ErrorMasking): Plugin {
  const debug = log.debugEnabled();
  const done = (line: FullLogger, document: DocumentNode, operationName: string | null | undefined, started: number, errors: readonly GraphQLError[] | undefined) => {
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    const outcome = outcomeOf(errors);
    const { type = 'unknown', name = '(anonymous)' } = operationOf(document, operationName);
    line.debug(`${type} ${name} ${outcome.outcome} in ${durationMs} ms`, { operationType: type, durationMs, ...outcome });
  };
  return {
    onExecute({ args }) {
      const started = debug ? performance.now() : 0;
      const lineLog = () => log.child(operationFields(args.contextValue, args.document, args.operationName));
      const mask = masking.maskWith(lineLog);
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            const masked = result.errors ? { ...result, errors: result.errors.map((error) => mask(error)) } : result;
            if (masked !== result) setResult(masked as ExecutionResult);
            if (debug && !('hasNext' in result && result.hasNext)) done(lineLog(), args.document, args.operationName, started, masked.errors);
          });
        },
      };
    },
    onSubscribe({ args }) {
      const started = debug ? performance.now() : 0;
      const lineLog = () => log.child(operationFields(args.contextValue, args.document, args.operationName));
      const mask = masking.maskWith(lineLog);
      let errors: GraphQLError[] | undefined;
      return {
        onSubscribeResult(payload) {
          const handled = handleStreamOrSingleExecutionResult(payload as never, ({ result, setResult }) => {
            if (!result.errors) return;
            const masked = result.errors.map((error) => mask(error));
            (errors ??= []).push(...masked);
            setResult({ ...result, errors: masked });
          });
          if (!debug) return handled as never;
          return { ...handled, onEnd: () => done(lineLog(), args.document, args.operationName, started, errors) } as never;
        },
        onSubscribeError({ error, setError }) {
          setError(mask(error));
        },
      };
    },
  };
}

/**
 * Logs the refusals in yoga's HTTP answers that no operation logged: CSRF,
 * the body limit, operation budgets checked in validation. Last among the
 * plugins, so it sees the answer as the client will.
 */
export function useRefusalLog(log: FullLogger, masking: ErrorMasking): Plugin {
  return {
    onResultProcess({ result, serverContext }) {
      for (const one of Array.isArray(result) ? result : [result]) {
        if (Symbol.asyncIterator in one || !one.errors?.length) continue;
        const req = (serverContext as LoggedContext | undefined)?.req;
        masking.noteRefusals(one.errors as readonly GraphQLError[], () => log.child({ requestId: requestIdOf(req) }));
      }
    },
  };
}
