import {
  getDirectiveValues,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  type DocumentNode,
  type GraphQLSchema,
  type SelectionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Permission } from '../access/permissions.js';
import type { GatewayContext } from '../resolvers/context.js';
import { fragmentsOf, refusedBeforeExecution, rootFieldsOf } from './before-execution.js';
import { clientErrorOf } from './domain-errors.js';
import { perOperation } from './per-operation.js';

/** What each mutation needs of its caller's role, as its resolver asks the store door for it. */
export const MUTATION_PERMISSIONS: Readonly<Record<string, Permission>> = {
  appendEvents: 'write',
  appendToStreams: 'write',
  recordSnapshot: 'write',
  deleteSnapshot: 'admin',
  deleteStream: 'delete',
  setStreamMetadata: 'admin',
  saveSubscription: 'admin',
  removeSubscription: 'admin',
  replayParked: 'admin',
  ackEvent: 'consume',
  ackEvents: 'consume',
  nackEvent: 'consume',
};

const rootFieldsOfMutation = perOperation((_schema, document, operationName) => {
  const operation = getOperationAST(document, operationName);
  return operation?.operation === 'mutation' ? rootFieldsOf(operation.selectionSet, fragmentsOf(document)) : [];
});

/** Whether execution runs a selection, by its @skip and @include and the request's variables (coerced: their defaults in). */
function included(selection: SelectionNode, variables: Record<string, unknown>): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, selection, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, selection, variables)?.if !== false;
}

/** The request's variables as execution will see them, with their defaults; undefined when execution will refuse them. */
function coercedVariables(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, given: Record<string, unknown>) {
  const operation = getOperationAST(document, operationName);
  const coerced = getVariableValues(schema, operation?.variableDefinitions ?? [], given, { maxErrors: 1 });
  return 'coerced' in coerced ? coerced.coerced : undefined;
}

/**
 * Refuses, before any of them runs, a mutation of several fields one of
 * which the caller's role does not allow. Mutation fields run one after the
 * other and all are non-null: the refused one nulls the whole answer, and
 * the fields before it would have written what their client is never told
 * of (an append committed, answered `data: null`). A mutation of one field
 * is left to its resolver, which refuses it alike.
 */
export function useMutationAccess(): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const fields = rootFieldsOfMutation(args.schema, args.document, args.operationName);
      if (fields.length < 2) return;
      const { door } = args.contextValue as unknown as GatewayContext;
      let variables: Record<string, unknown> | undefined;
      for (const { field, key, conditions } of fields) {
        const permission = MUTATION_PERMISSIONS[field.name.value];
        if (permission === undefined) continue;
        if (conditions.length > 0) {
          variables ??= coercedVariables(args.schema, args.document, args.operationName, args.variableValues ?? {});
          // Variables execution refuses: it answers that, and runs nothing.
          if (variables === undefined) return;
          if (!conditions.every((selection) => included(selection, variables!))) continue;
        }
        try {
          door.require(permission);
        } catch (error) {
          const refusal = clientErrorOf(error);
          if (!refusal) throw error;
          setResultAndStopExecution(refusedBeforeExecution(new GraphQLError(refusal.message, { path: [key], extensions: refusal.extensions })));
          return;
        }
      }
    },
  };
}
