/** Architecture rules, enforced in CI (npm run lint). Rules default to 'warn', so each says 'error'. */
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'The pure core never depends on adapters, the file readers or the CLI.',
      severity: 'error',
      from: { path: '^src/(core|assignment|stats|attribution|report|sql|experiments)/' },
      to: { path: '^src/(adapters|cli|files|engines)/' },
    },
    {
      name: 'files-below-cli-and-adapters',
      comment: 'The Node file readers serve the CLI and the Node entry; they depend on neither.',
      severity: 'error',
      from: { path: '^src/files/' },
      to: { path: '^src/(adapters|cli)/' },
    },
    {
      name: 'no-node-builtins-in-core',
      comment: 'The core and the edge entry run in every JavaScript runtime.',
      severity: 'error',
      from: { path: '^src/(core|assignment|stats|attribution|report|openfeature|sql|experiments)/|^src/edge[.]ts$|^src/adapters/(web|webModel|decide|webConfig|webHeaders|cloudflare|vercel|deno|bun|netlify|lambda-edge|options)[.]ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'edge-never-reaches-stats',
      comment: 'jstat is 18 KB gzip and not tree-shakeable; the edge bundle must never pull it.',
      severity: 'error',
      from: { path: '^src/edge[.]ts$' },
      to: { path: '^src/stats/|jstat', reachable: true },
    },
    {
      name: 'assignment-never-reaches-stats',
      severity: 'error',
      from: { path: '^src/assignment/' },
      to: { path: '^src/stats/|jstat', reachable: true },
    },
    {
      name: 'engines-below-cli',
      comment: 'Engines (DuckDB, PostgreSQL, ClickHouse drivers) serve the CLI and the engines entry; they depend on neither the CLI nor the adapters.',
      severity: 'error',
      from: { path: '^src/engines/' },
      to: { path: '^src/(adapters|cli)/' },
    },
    {
      name: 'native-engines-stay-out-of-the-edge',
      comment: 'The edge entry and the web adapters never reach an engine or a native driver (DuckDB 68 MB binary, pg).',
      severity: 'error',
      from: { path: '^src/edge[.]ts$|^src/adapters/(web|webModel|decide|webConfig|webHeaders|cloudflare|vercel|deno|bun|netlify|lambda-edge)[.]ts$|^src/(core|assignment|stats|attribution|report|sql)/' },
      to: { path: '^src/engines/|@duckdb|node_modules/pg/', reachable: true },
    },
    {
      name: 'native-drivers-only-in-engines',
      comment: 'Only src/engines loads @duckdb/node-api or pg (dynamically, as optional peers).',
      severity: 'error',
      from: { pathNot: '^src/engines/' },
      to: { path: '@duckdb|node_modules/pg/' },
    },
    { name: 'no-cycles', severity: 'error', from: {}, to: { circular: true } },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
}
