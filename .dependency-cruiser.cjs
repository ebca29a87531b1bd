/**
 * The layers of src/, highest first: server → resolvers (with schema beside
 * them) → subscriptions → store → cluster → config and log. An import may only
 * go down; gateway.ts and main.ts, which wire the layers together, sit above
 * them all.
 */
const layers = ['server', 'resolvers|schema', 'subscriptions', 'store', 'cluster', 'config\\.ts|log\\.ts|masked-url\\.ts'];

const downOnly = layers.slice(1).map((layer, index) => {
  const above = [...layers.slice(0, index + 1), 'gateway\\.ts|main\\.ts'];
  return {
    name: `no-import-up-from-${layer.split(/[|\\]/)[0]}`,
    comment: `src/${layer} sits below ${above.join(', ')}, and must not import them`,
    severity: 'error',
    from: { path: `^src/(${layer})` },
    to: { path: `^src/(${above.join('|')})` },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'An import cycle ties modules together so that neither can change, load or be tested alone.',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'server-below-gateway',
      comment: 'The server is composed by gateway.ts, and must not import it or the command.',
      severity: 'error',
      from: { path: '^src/server/' },
      to: { path: '^src/(gateway|main)\\.ts' },
    },
    ...downOnly,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // The tests and the bench may use any layer.
    includeOnly: '^src/',
  },
};
