import type { DocumentNode, GraphQLError, GraphQLSchema } from 'graphql';

type Validate = (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];

/**
 * Documents that validated clean, so that a request repeating one (yoga's
 * parse cache hands every request of the same text the same document) skips
 * the envelop's validation phase. That phase answers a known document from
 * yoga's validation cache anyway, but finds it by a key it builds from the
 * names of all the rules each time, which cost as much as executing a small
 * mutation. Sound because the rules are the same for every request (graphql's
 * own and the operation budgets); a plugin that chose rules by caller would
 * have to be keyed here too. Invalid documents are validated every time, so
 * their errors go through the plugins that see them.
 */
export class ValidDocuments {
  private readonly valid = new WeakMap<GraphQLSchema, WeakSet<DocumentNode>>();

  validate(validate: Validate, schema: GraphQLSchema, document: DocumentNode): readonly GraphQLError[] {
    let documents = this.valid.get(schema);
    if (documents?.has(document)) return [];
    const errors = validate(schema, document);
    if (errors.length === 0) {
      if (!documents) this.valid.set(schema, (documents = new WeakSet()));
      documents.add(document);
    }
    return errors;
  }
}
