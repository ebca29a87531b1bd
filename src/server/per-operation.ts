import type { DocumentNode, GraphQLSchema } from 'graphql';

type OperationKey = [schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined];

/**
 * A value kept for each operation of a parsed document, made by `make` the
 * first time it is asked for. Yoga's parse cache hands every request of the
 * same text the same document, so the requests after the first pay a lookup
 * instead of whatever `make` walks or builds; a document nobody holds any
 * more takes its values with it.
 */
export function perOperation<T>(make: (...key: OperationKey) => T): (...key: OperationKey) => T {
  const bySchema = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, T>>>();
  return (schema, document, operationName) => {
    let byDocument = bySchema.get(schema);
    if (byDocument === undefined) bySchema.set(schema, (byDocument = new WeakMap()));
    let byName = byDocument.get(document);
    if (byName === undefined) byDocument.set(document, (byName = new Map()));
    const name = operationName ?? '';
    if (!byName.has(name)) byName.set(name, make(schema, document, operationName));
    return byName.get(name)!;
  };
}
