import { getOperationAST, GraphQLError, valueFromASTUntyped, type FieldNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config.js';
import { RequestBudget } from '../resolvers/request-budget.js';
import { fragmentsOf, refusedBeforeExecution, rootFieldsOf } from './before-execution.js';
import { perOperation } from './per-operation.js';

/** Mutation fields that write events. */
const APPEND_FIELDS = new Set(['appendEvents', 'appendToStreams']);

/** The append fields a mutation runs, one per response key (graphql-js runs fields of the same key once). */
function appendFieldsOf(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  const byKey = new Map<string, FieldNode>();
  for (const { field, key } of rootFieldsOf(selectionSet, fragments)) if (APPEND_FIELDS.has(field.name.value)) byKey.set(key, field);
  return [...byKey.values()];
}

/** The append fields of the operation that would run; none unless it is a mutation. */
const appendFieldsOfOperation = perOperation((_schema, document, operationName) => {
  const operation = getOperationAST(document, operationName);
  return operation?.operation === 'mutation' ? appendFieldsOf(operation.selectionSet, fragmentsOf(document)) : [];
});

/** Bytes of a value's JSON as the append resolver stores it; 0 for one too deep to serialise, which that resolver refuses. */
function jsonBytes(value: unknown): number {
  try {
    return Buffer.byteLength(JSON.stringify(value ?? null));
  } catch {
    return 0;
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** Events and bytes an append's input would write, read from the request as sent; a shape execution would refuse costs nothing. */
function costOf(input: unknown): { events: number; bytes: number } {
  // GraphQL takes a single value where a list is expected, as a list of one.
  const listOf = (given: unknown): unknown[] => (Array.isArray(given) ? given : isObject(given) ? [given] : []);
  // appendToStreams carries its events in each of its streams.
  const parts = isObject(input) && input.streams !== undefined ? listOf(input.streams) : [input];
  let events = 0;
  let bytes = 0;
  for (const part of parts) {
    const partEvents = isObject(part) ? listOf(part.events) : [];
    events += partEvents.length;
    for (const event of partEvents) if (isObject(event)) bytes += jsonBytes(event.data) + jsonBytes(event.metadata);
  }
  return { events, bytes };
}

/**
 * Refuses, before any of them writes, a mutation whose appendEvents fields
 * together carry more events or bytes than one request may write, so that
 * such a request writes nothing. Mutation fields run one after the other,
 * and each append's resolver charges the request's budget exactly (see
 * `RequestBudget`); without this look ahead, the appends before the one past
 * the budget would be written, and their answers lost to the error that nulls
 * `data`. A single append is left to its resolver, which already holds the
 * serialised events.
 */
export function useAppendBudget(limits: Pick<Limits, 'maxRequestEvents' | 'maxRequestEventBytes'>): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const fields = appendFieldsOfOperation(args.schema, args.document, args.operationName);
      if (fields.length < 2) return;
      const budget = new RequestBudget(limits);
      const variables = args.variableValues ?? {};
      try {
        for (const field of fields) {
          const input = field.arguments?.find((arg) => arg.name.value === 'input');
          const { events, bytes } = costOf(input && valueFromASTUntyped(input.value, variables));
          budget.chargeAppend(events, bytes);
        }
      } catch (error) {
        if (!(error instanceof GraphQLError)) throw error;
        setResultAndStopExecution(refusedBeforeExecution(error));
      }
    },
  };
}
