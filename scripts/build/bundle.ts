/**
 * Bundle a snippet as a user's bundler would (esbuild: minify, tree-shaking, platform neutral, main fields
 * module,main, io-ts marked pure as tsup builds dist) and measure it. Shared by the bundle-size tests and the edge
 * benchmark, so both measure the same thing.
 */
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { pureAnnotations } from './pureAnnotations'

const root = fileURLToPath(new URL('../..', import.meta.url))

export interface Bundle {
  readonly code: string
  readonly minified: number
  readonly gzip: number
  readonly brotli: number
  /** Every file the bundle drew from (project-relative paths). */
  readonly inputs: ReadonlyArray<string>
}

/** `contents` resolves imports from the project root; Node built-ins stay as imports so checks can name them. */
export const bundle = async (contents: string, options: { readonly conditions?: ReadonlyArray<string> } = {}): Promise<Bundle> => {
  const result = await build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    minify: true,
    treeShaking: true,
    platform: 'neutral',
    mainFields: ['module', 'main'],
    ...(options.conditions === undefined ? {} : { conditions: [...options.conditions] }),
    format: 'esm',
    target: 'es2022',
    write: false,
    metafile: true,
    external: ['node:*'],
    logLevel: 'silent',
    plugins: [pureAnnotations],
  })
  const bytes = result.outputFiles[0]!.contents
  return {
    code: new TextDecoder().decode(bytes),
    minified: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes).length,
    inputs: Object.keys(result.metafile.inputs),
  }
}
