/**
 * The ES module entries' type declarations, written as one line each: `dist/<entry>.d.ts` re-exports
 * `dist/<entry>.d.cts`, which tsup writes for the CommonJS build. The two sets were the same declarations twice
 * (105 KB of the packed package, tests/package/pack.test.ts); an ES module may import a CommonJS one, so both
 * `import` and `require` resolve to one copy (publint and attw --profile node16 accept it, .ci/run).
 */
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** The line that stands for an entry's ES module declarations. */
export const esmTypesOf = (entry: string): string => `export * from './${entry}.cjs';\n`

export const writeEsmTypes = async (entries: ReadonlyArray<string>, outDir = 'dist'): Promise<void> => {
  await Promise.all(entries.map((entry) => writeFile(join(outDir, `${entry}.d.ts`), esmTypesOf(entry))))
}
