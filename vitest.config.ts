import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql ships CommonJS and ESM builds; libraries that require() it get the CommonJS one,
    // so the tests must too, or the schema's types come from two copies of graphql.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    fileParallelism: true,
    // Two cores: more workers only make the PostgreSQL servers fight for them.
    maxWorkers: 2,
  },
});
