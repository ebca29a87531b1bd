import type { IncomingMessage } from 'node:http';
import { context, propagation, SpanKind, SpanStatusCode, type Span } from '@opentelemetry/api';
import { getOperationAST, type ExecutionArgs, type ExecutionResult, type GraphQLError, type OperationDefinitionNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { traced, tracingOn } from '../tracing.js';
import { clientErrorOf } from './domain-errors.js';
import { withInputErrorCode } from './use-input-error-codes.js';

/** Root fields named in the span of an anonymous operation; the rest are counted, not listed. */
const MAX_NAMED_FIELDS = 3;

/** An operation's name, or for an anonymous one its root fields (`appendEvents`), as the span and its attribute name it. */
function operationName(operation: OperationDefinitionNode): string {
  if (operation.name) return operation.name.value;
  const fields = operation.selectionSet.selections.flatMap((selection) => (selection.kind === 'Field' ? [selection.name.value] : []));
  const named = fields.slice(0, MAX_NAMED_FIELDS).join(',');
  return fields.length > MAX_NAMED_FIELDS ? `${named},+${fields.length - MAX_NAMED_FIELDS}` : named || 'anonymous';
}

/** The code a client sees for this error: its own, the one its domain failure maps to, or INTERNAL_SERVER_ERROR when masked. */
function errorCode(error: GraphQLError): string {
  const own = withInputErrorCode(error).extensions.code;
  if (typeof own === 'string') return own;
  const mapped = clientErrorOf(error.originalError ?? error)?.extensions.code;
  return typeof mapped === 'string' ? mapped : 'INTERNAL_SERVER_ERROR';
}

function recordOutcome(span: Span, result: ExecutionResult): void {
  const errors = result.errors ?? [];
  span.setAttribute('gater.outcome', errors.length === 0 ? 'ok' : 'error');
  if (errors.length === 0) return;
  const code = errorCode(errors[0]!);
  span.setAttribute('gater.error.code', code);
  span.setStatus({ code: SpanStatusCode.ERROR, message: code });
}

/** The node request over HTTP (either path) and of a WebSocket's upgrade, whose traceparent header a client may send. */
function headersOf(contextValue: unknown): IncomingMessage['headers'] {
  return (contextValue as { req?: IncomingMessage } | null)?.req?.headers ?? {};
}

/**
 * A span for every query and mutation, over HTTP and graphql-ws alike (both
 * run the enveloped execute), named `mutation appendEvents` by its type and
 * name. The operation runs inside it, so the store calls it makes are its
 * children. Subscriptions, which last as long as their clients stay, get none.
 * While tracing is off, it does nothing.
 */
export function useOperationSpans(): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      if (!tracingOn()) return;
      const operation = getOperationAST(args.document, args.operationName);
      if (!operation) return;
      const type = operation.operation;
      const name = operationName(operation);
      const parent = propagation.extract(context.active(), headersOf(args.contextValue));
      setExecuteFn((execution: ExecutionArgs) =>
        traced(
          `${type} ${name}`,
          async (span) => {
            const result = (await executeFn(execution)) as ExecutionResult;
            recordOutcome(span, result);
            return result;
          },
          { parent, kind: SpanKind.SERVER, attributes: { 'graphql.operation.type': type, 'graphql.operation.name': name } },
        ),
      );
    },
  };
}
