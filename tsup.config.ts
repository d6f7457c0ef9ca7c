import { defineConfig } from 'tsup'
import { pureAnnotations } from './scripts/build/pureAnnotations'

export default defineConfig({
  entry: {
    index: 'src/index.ts',
    assignment: 'src/assignment/index.ts',
    stats: 'src/stats/index.ts',
    attribution: 'src/attribution/index.ts',
    report: 'src/report/index.ts',
    edge: 'src/edge.ts',
    node: 'src/adapters/node.ts',
    cli: 'src/cli/main.ts',
    // Loaded by `touchpoint attribute --workers N` from beside the CLI bundle.
    'attribute-worker': 'src/cli/attributeWorker.ts',
  },
  format: ['esm', 'cjs'],
  dts: true,
  splitting: false,
  treeshake: true,
  // No source maps: they were 10.5 of the 13.8 MB the package unpacked to (tests/package/pack.test.ts holds the budget).
  sourcemap: false,
  clean: true,
  target: 'es2022',
  // fp-ts and io-ts ship no exports map: bundling their es6 build is what lets dist load under Node ESM
  // and keeps the edge bundle small (see ../shared/STYLE.md section 7).
  noExternal: ['fp-ts', 'io-ts'],
  // Marks io-ts's module-level classes pure so bundles keep only what they use (scripts/build/pureAnnotations.ts).
  esbuildPlugins: [pureAnnotations],
})
