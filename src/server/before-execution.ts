import { GraphQLError, Kind, type DocumentNode, type ExecutionResult, type FragmentDefinitionNode, type GraphQLSchema } from 'graphql';

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
  return { errors: [new GraphQLError(error.message, { extensions: { ...error.extensions, http: { spec: true, status: 400 } } })] };
}

/**
 * What `weigh` finds in one operation of a document, found once: yoga's parse
 * cache hands every request of the same text the same document, so the
 * requests after the first pay a lookup instead of a walk.
 */
export function oncePerOperation<T>(weigh: (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined) => T) {
  // One schema serves a gateway's documents, so the document alone is the key.
  const found = new WeakMap<DocumentNode, Map<string, T>>();
  return (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined): T => {
    let byName = found.get(document);
    if (!byName) found.set(document, (byName = new Map()));
    const key = operationName ?? '';
    if (!byName.has(key)) byName.set(key, weigh(schema, document, operationName));
    return byName.get(key)!;
  };
}
