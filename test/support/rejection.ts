import { GraphQLError } from 'graphql';

/** The input error `check` throws, as a client sees it: its code, field and message; fails the test when it throws none. */
export function rejection(check: () => unknown): { code: unknown; field: unknown; message: string } {
  try {
    check();
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    return { code: error.extensions.code, field: error.extensions.field, message: error.message };
  }
  throw new Error('expected the input to be refused, and it was accepted');
}
