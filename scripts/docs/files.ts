/** The files whose samples are checked: every TypeScript source under src/, README.md and docs/*.md. */
import { readdirSync, statSync } from 'node:fs'
import { join, relative } from 'node:path'
import { ROOT } from './snippets'

const walk = (dir: string): Array<string> =>
  readdirSync(dir).sort().flatMap((f) => {
    const p = join(dir, f)
    return statSync(p).isDirectory() ? walk(p) : [p]
  })

export const sourceFiles = (): Array<string> =>
  walk(join(ROOT, 'src')).filter((p) => p.endsWith('.ts') && !p.endsWith('.d.ts')).map((p) => relative(ROOT, p))

export const markdownFiles = (): Array<string> => [
  'README.md',
  ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).sort().map((f) => `docs/${f}`),
]
