import { GraphQLError, Kind, type DocumentNode, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { AccessConfig } from '../access-config.js';
import type { GatewayContext } from '../resolvers/context.js';
import type { StoreDoor } from '../resolvers/store-door.js';
import { fragmentsOf, refusedBeforeExecution } from './before-execution.js';
import { clientErrorOf, toClientGraphQLError } from './domain-errors.js';

/** Whether a selection asks for `__schema` or `__type`, through fragments too (`__typename` is no introspection of the schema). */
function introspects(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>, seen = new Set<string>()): boolean {
  return selectionSet.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === '__schema' || selection.name.value === '__type';
    if (selection.kind === Kind.INLINE_FRAGMENT) return introspects(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    const fragment = fragments.get(name);
    if (!fragment || seen.has(name)) return false;
    seen.add(name);
    return introspects(fragment.selectionSet, fragments, seen);
  });
}

function asksForSchema(document: DocumentNode, operationName: string | null | undefined): boolean {
  const fragments = fragmentsOf(document);
  return document.definitions.some(
    (definition) =>
      definition.kind === Kind.OPERATION_DEFINITION &&
      (!operationName || definition.name?.value === operationName) &&
      introspects(definition.selectionSet, fragments),
  );
}

/** Why this caller may not introspect: a credential missing or not valid (where one is needed), or a role that is not admin. */
function refusalOf(introspection: 'admin' | 'nobody', door: StoreDoor): GraphQLError | undefined {
  const unauthenticated = door.authenticationRefusal();
  if (unauthenticated) return toClientGraphQLError(undefined, clientErrorOf(unauthenticated)!);
  if (introspection === 'admin' && door.may('admin')) return undefined;
  return new GraphQLError(
    introspection === 'admin' ? 'introspection of the schema needs the admin role' : 'introspection of the schema is turned off (GATER_INTROSPECTION)',
    { extensions: { code: 'FORBIDDEN', missing: 'admin' } },
  );
}

/**
 * Schema introspection for whom GATER_INTROSPECTION allows it: everyone,
 * nobody, or admins only (the default once credentials are configured).
 * Checked when the caller is known, before anything runs, and answered as
 * other refusals before execution are.
 */
export function useIntrospectionAccess(introspection: AccessConfig['introspection']): Plugin {
  if (introspection === 'everyone') return {};
  return {
    onExecute({ args, setResultAndStopExecution }) {
      if (!asksForSchema(args.document, args.operationName)) return;
      const refusal = refusalOf(introspection, (args.contextValue as unknown as GatewayContext).door);
      if (refusal) setResultAndStopExecution(refusedBeforeExecution(refusal));
    },
  };
}
