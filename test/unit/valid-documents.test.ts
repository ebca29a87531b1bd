import { buildSchema, GraphQLError, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ValidDocuments } from '../../src/server/valid-documents.js';

const schema = buildSchema('type Query { hello: String }');

describe('ValidDocuments', () => {
  it('validates a document until it is valid once, and an invalid one every time', () => {
    const documents = new ValidDocuments();
    let validations = 0;
    const counted = (...args: Parameters<typeof validate>) => {
      validations++;
      return validate(...args);
    };
    const valid = parse('{ hello }');
    const invalid = parse('{ goodbye }');
    expect(documents.validate(counted, schema, valid)).toEqual([]);
    expect(documents.validate(counted, schema, valid)).toEqual([]);
    expect(validations).toBe(1);
    const errors = documents.validate(counted, schema, invalid);
    expect(errors[0]).toBeInstanceOf(GraphQLError);
    expect(errors[0]!.message).toContain('goodbye');
    expect(documents.validate(counted, schema, invalid)).toHaveLength(1);
    expect(validations).toBe(3);
    expect(documents.validate(counted, buildSchema('type Query { other: Int }'), valid)).toHaveLength(1);
  });
});
