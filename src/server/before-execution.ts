import { GraphQLError, Kind, type DocumentNode, type ExecutionResult, type FieldNode, type FragmentDefinitionNode, type SelectionNode, type SelectionSetNode } from 'graphql';

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


/** A root field of an operation: its node, its response key, and the selections on the way whose @skip or @include may leave it out. */
export interface RootField {
  field: FieldNode;
  key: string;
  conditions: readonly SelectionNode[];
}

/** The root fields of an operation's selection set, through its fragments (each fragment once), in the order met. */
export function rootFieldsOf(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): RootField[] {
  const fields: RootField[] = [];
  const spread = new Set<string>();
  const pending: { selectionSet: SelectionSetNode; conditions: readonly SelectionNode[] }[] = [{ selectionSet, conditions: [] }];
  while (pending.length > 0) {
    const { selectionSet: current, conditions } = pending.pop()!;
    for (const selection of current.selections) {
      const within = selection.directives?.length ? [...conditions, selection] : conditions;
      if (selection.kind === Kind.FIELD) fields.push({ field: selection, key: selection.alias?.value ?? selection.name.value, conditions: within });
      else if (selection.kind === Kind.INLINE_FRAGMENT) pending.push({ selectionSet: selection.selectionSet, conditions: within });
      else if (!spread.has(selection.name.value)) {
        spread.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) pending.push({ selectionSet: fragment.selectionSet, conditions: within });
      }
    }
  }
  return fields;
}
