import { GraphQLError, Kind, type DocumentNode, type ExecutionResult, type FragmentDefinitionNode } from 'graphql';

/** What the plugins that weigh an operation before it runs share. */

export function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  return fragments;
}

/** The answer to an operation refused before it ran: as a validation failure is answered (400 for application/graphql-response+json). */
export function refusedBeforeExecution(error: GraphQLError): ExecutionResult {
  return { errors: [new GraphQLError(error.message, { path: error.path, extensions: { ...error.extensions, http: { spec: true, status: 400 } } })] };
}

