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

/** The codes of the errors an answer carries. */
function codesOf(errors: readonly GraphQLError[] | undefined): Set<string> | undefined {
  return errors?.length ? new Set(errors.map((error) => String(error.extensions?.code ?? 'UNKNOWN'))) : undefined;
}

/** What the log reads of an operation's arguments. */
interface OperationArgs {
  contextValue: unknown;
  document: DocumentNode;
  operationName?: string | null;
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
  const done = (args: OperationArgs, started: number, codes: ReadonlySet<string> | undefined) => {
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    const outcome = codes?.size ? { outcome: 'errors', errorCodes: [...codes] } : { outcome: 'ok' };
    const { type = 'unknown', name = '(anonymous)' } = operationOf(args.document, args.operationName);
    lineLog(args).debug(`${type} ${name} ${outcome.outcome} in ${durationMs} ms`, { operationType: type, durationMs, ...outcome });
  };
  const lineLog = (args: OperationArgs) => log.child(operationFields(args.contextValue, args.document, args.operationName));
  // Made only for a result with errors: most operations have none.
  const maskFor = (args: OperationArgs) => masking.maskWith(() => lineLog(args));
  return {
    onExecute({ args }) {
      const started = debug ? performance.now() : 0;
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            let errors = result.errors;
            if (errors) {
              const mask = maskFor(args);
              errors = errors.map((error) => mask(error));
              setResult({ ...result, errors } as ExecutionResult);
            }
            if (debug && !('hasNext' in result && result.hasNext)) done(args, started, codesOf(errors));
          });
        },
      };
    },
    onSubscribe({ args }) {
      const started = debug ? performance.now() : 0;
      // Codes, not errors: a subscription may run for days.
      let codes: Set<string> | undefined;
      return {
        onSubscribeResult(payload) {
          const handled = handleStreamOrSingleExecutionResult(payload as never, ({ result, setResult }) => {
            if (!result.errors) return;
            const mask = maskFor(args);
            const masked = result.errors.map((error) => mask(error));
            for (const code of codesOf(masked) ?? []) (codes ??= new Set()).add(code);
            setResult({ ...result, errors: masked });
          });
          if (!debug) return handled as never;
          return { ...handled, onEnd: () => done(args, started, codes) } as never;
        },
        onSubscribeError({ error, setError }) {
          setError(maskFor(args)(error));
        },
      };
    },
  };
}

/** A GraphQL name, and not a long one: what a client sent as `operationName` before anything checked it. */
const LOGGED_OPERATION_NAME = /^[_A-Za-z][_0-9A-Za-z]{0,127}$/;

/** The fields of the log line of a request refused before it ran: its id, and the operation it named, if a name. */
export function refusalFields(req: IncomingMessage | undefined, operationName: unknown): LogFields {
  const fields: LogFields = { requestId: requestIdOf(req) };
  if (typeof operationName === 'string' && LOGGED_OPERATION_NAME.test(operationName)) fields.operation = operationName;
  return fields;
}

/**
 * Logs the refusals in yoga's HTTP answers that no operation logged: CSRF,
 * the body limit, operation budgets checked in validation. Last among the
 * plugins, so it sees the answer as the client will.
 */
export function useRefusalLog(log: FullLogger, masking: ErrorMasking): Plugin {
  const operationNames = new WeakMap<Request, unknown>();
  return {
    onParams({ params, request }) {
      if (params.operationName) operationNames.set(request, params.operationName);
    },
    onResultProcess({ result, serverContext, request }) {
      for (const one of Array.isArray(result) ? result : [result]) {
        if (Symbol.asyncIterator in one || !one.errors?.length) continue;
        const req = (serverContext as LoggedContext | undefined)?.req;
        masking.noteRefusals(one.errors as readonly GraphQLError[], () => log.child(refusalFields(req, operationNames.get(request))));
      }
    },
  };
}
