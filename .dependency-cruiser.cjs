/**
 * The layers of src/, highest first: server → resolvers (with schema beside
 * them) → access → subscriptions → store → cluster → configuration and log.
 * An import may only go down; gateway.ts and main.ts, which wire the layers
 * together, sit above them all.
 */
const layers = [
  { name: 'server', path: 'server/' },
  { name: 'resolvers and schema', path: '(resolvers|schema)/' },
  { name: 'access', path: 'access/' },
  { name: 'subscriptions', path: 'subscriptions/' },
  { name: 'store', path: 'store/' },
  { name: 'cluster', path: 'cluster/' },
  // Every other file at the top of src/, so that one added there later is held to the rule too.
  { name: 'configuration and log', path: '(?!(gateway|main)\\.ts$)[^/]+\\.ts$' },
];
const wiring = { name: 'gateway.ts and main.ts', path: '(gateway|main)\\.ts$' };

const downOnly = layers.slice(1).map((layer, index) => {
  const above = [wiring, ...layers.slice(0, index + 1)];
  return {
    name: `no-import-up-from-${layer.name.replace(/ /g, '-')}`,
    comment: `src/${layer.name} sits below ${above.map((upper) => upper.name).join(', ')}, and must not import them`,
    severity: 'error',
    from: { path: `^src/${layer.path}` },
    to: { path: `^src/(${above.map((upper) => upper.path).join('|')})` },
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
