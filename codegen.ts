import type { CodegenConfig } from '@graphql-codegen/cli';

/** The scalars as a JavaScript client receives them over JSON. */
export const scalars = {
  // Exact within ±2^53: the gateway never sends a position a JavaScript number cannot hold.
  Long: 'number',
  DateTime: 'string',
  JSON: 'unknown',
  ID: 'string',
};

/** Typed documents for the examples, and the unions' possible types for Apollo's cache. */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['examples/**/*.ts', 'examples/**/*.tsx', '!examples/generated/**'],
  ignoreNoDocuments: false,
  generates: {
    'examples/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        scalars,
        strictScalars: true,
        useTypeImports: true,
        enumsAsTypes: true,
        // The examples run as ES modules under NodeNext, whose relative imports need `.js`.
        emitLegacyCommonJSImports: false,
      },
    },
    'examples/generated/possible-types.ts': {
      plugins: ['fragment-matcher'],
      config: { module: 'es2015', useExplicitTyping: true },
    },
  },
};

export default config;
