/**
 * Every code sample runs: each JSDoc `@example` under src/ and each ```ts block of README.md and docs/*.md is
 * type-checked against the sources; every JSDoc example is executed, and so is every Markdown block that makes a
 * `// =>` claim; each claim is compared with the value (rules in scripts/docs/expect.ts and README.md,
 * Development). Failures name the doc's own file and line.
 */
import { describe, expect, test } from 'vitest'
import { mismatch, show, toClaim } from '../../scripts/docs/expect'
import { markdownFiles, sourceFiles } from '../../scripts/docs/files'
import { checks } from '../../scripts/docs/harness'
import { allSnippets, ENTRIES, lookupFor, prepare, providers, typeErrors, writeModules } from '../../scripts/docs/snippets'

const snippets = allSnippets(sourceFiles(), markdownFiles())
const { table, program } = providers([
  ...new Set([...ENTRIES, 'tests/docs/context.ts', ...snippets.filter((s) => s.kind === 'jsdoc').map((s) => s.file)]),
])
const prepared = snippets.map((s) => prepare(s, lookupFor(s, table)))
writeModules(prepared)
const errors = typeErrors(prepared, program)

test('the samples are found (a broken extractor finds none)', () => {
  expect(snippets.filter((s) => s.kind === 'jsdoc').length).toBeGreaterThanOrEqual(100)
  expect(snippets.filter((s) => s.kind === 'markdown').length).toBeGreaterThanOrEqual(15)
  expect(prepared.flatMap((p) => p.claims).length).toBeGreaterThanOrEqual(100)
})

describe.each(prepared.map((p) => [p.snippet.id, p] as const))('%s', (_, p) => {
  test('type-checks', () => {
    const found = [...p.problems, ...(errors.get(p.snippet.id) ?? [])]
    if (found.length > 0) throw new Error(`${found.join('\n')}\n\nGenerated module: ${p.path}`)
  })

  // A Markdown block that claims nothing is only type-checked (a server setup, a worker's export).
  if (p.snippet.kind === 'markdown' && p.claims.length === 0) return
  test('runs, and every claim holds', async () => {
    try {
      await import(p.path)
    } catch (e) {
      throw new Error(`${p.snippet.id}: the sample threw: ${e instanceof Error ? (e.stack ?? e.message) : show(e)}`)
    }
    const failures: Array<string> = []
    for (const claim of p.claims) {
      const where = `${claim.snippet.file}:${claim.line}`
      if (claim.parsed instanceof Error) failures.push(`${where}: ${claim.parsed.message}`)
      else if (!checks().has(claim.id)) failures.push(`${where}: the claimed expression never ran`)
      else {
        const m = mismatch(claim.parsed.pattern, checks().get(claim.id))
        if (m !== undefined) failures.push(`${where}: // => ${claim.parsed.text}\n  differs: ${m}\n  actual, as a claim: ${toClaim(checks().get(claim.id))}`)
      }
    }
    if (failures.length > 0) throw new Error(failures.join('\n\n'))
  })
})
