import { defineConfig, type Options } from 'tsup'
import { writeEsmTypes } from './scripts/build/esmTypes'
import { pureAnnotations } from './scripts/build/pureAnnotations'

const shared: Options = {
  dts: true,
  splitting: false,
  treeshake: true,
  // No source maps: they were 10.5 of the 13.8 MB the package unpacked to (tests/package/pack.test.ts holds the budget).
  sourcemap: false,
  target: 'es2022',
  // fp-ts and io-ts ship no exports map: bundling their es6 build is what lets dist load under Node ESM
  // and keeps the edge bundle small (see ../shared/STYLE.md section 7).
  noExternal: ['fp-ts', 'io-ts'],
  // Marks io-ts's module-level classes pure so bundles keep only what they use (scripts/build/pureAnnotations.ts).
  esbuildPlugins: [pureAnnotations],
}

const library = {
  index: 'src/index.ts',
  assignment: 'src/assignment/index.ts',
  stats: 'src/stats/index.ts',
  attribution: 'src/attribution/index.ts',
  report: 'src/report/index.ts',
  experiments: 'src/experiments/index.ts',
  edge: 'src/edge.ts',
  node: 'src/adapters/node.ts',
  openfeature: 'src/openfeature/index.ts',
  sql: 'src/sql/index.ts',
  engines: 'src/engines/index.ts',
}

export default defineConfig([
  {
    ...shared,
    // ES modules share their code in chunks: every entry used to carry its own copy of what it imports (index.js
    // held all of stats.js, report.js, ...), which was most of the packed size.
    entry: {
      ...library,
      cli: 'src/cli/main.ts',
      // Worker threads of sharded reads (`--workers N`), started from beside the bundle that reads.
      'pipeline-worker': 'src/files/shardWorker.ts',
    },
    format: ['esm'],
    splitting: true,
    clean: true,
    // The library's declarations are written once, by the CommonJS build (.d.cts); each dist/<entry>.d.ts
    // re-exports its .d.cts (scripts/build/esmTypes.ts). The CLI and the worker ship no declarations.
    dts: false,
    onSuccess: () => writeEsmTypes(Object.keys(library)),
  },
  {
    ...shared,
    // The CLI is an ES module program (bin points at dist/cli.js, whose reads start their workers by URL), so it
    // has no CommonJS copy.
    entry: library,
    format: ['cjs'],
    // CommonJS entries share chunks too (tsup splits as ES modules, then rollup writes each chunk as CommonJS): one
    // file per entry carried its own copy of what it imports (index.cjs held most of the others), 390 of the 987 KB
    // packed; shared, 168 KB (tests/package/commonjs.test.ts).
    splitting: true,
    // Minified, for the 1 MB budget (tests/package/pack.test.ts). Names are not kept (keepNames cost 28 KB packed;
    // nothing exported throws, and errors carry their own names). The ES module build stays as written: minifying
    // it, even whitespace only, broke users' tree shaking (a worker from dist/edge.js went from 6.0 KB to 13.0 KB
    // min+gzip, tests/package/edge-bundle.test.ts).
    minify: true,
    clean: false,
  },
])
