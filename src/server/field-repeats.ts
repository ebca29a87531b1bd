import { Kind, type DocumentNode, type SelectionSetNode } from 'graphql';

/**
 * The most times one field (one response name) is selected in one selection
 * set of the document, counting the fields of its inline fragments as graphql-js
 * gathers them. Validation compares every pair of such fields, and their
 * subselections with each other: 200 of one field five levels deep cost it
 * some 130–180 ms of CPU in a document of about 2,200 tokens.
 */
export function mostFieldRepeats(document: DocumentNode): number {
  let most = 0;
  const counts = new Map<string, number>();
  const gather = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.alias?.value ?? selection.name.value;
        const count = (counts.get(name) ?? 0) + 1;
        counts.set(name, count);
        if (count > most) most = count;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        gather(selection.selectionSet);
      }
    }
  };
  // Every selection set is counted on its own, as validation compares within each; nesting is bounded by the depth limit's parse.
  const visit = (selectionSet: SelectionSetNode) => {
    counts.clear();
    gather(selectionSet);
    for (const selection of selectionSet.selections) {
      if (selection.kind !== Kind.FRAGMENT_SPREAD && selection.selectionSet) visit(selection.selectionSet);
    }
  };
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) visit(definition.selectionSet);
  }
  return most;
}
