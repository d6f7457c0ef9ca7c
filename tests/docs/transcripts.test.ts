/**
 * Every shell session shown in README.md and docs/*.md is run and compared with what the commands print now
 * (rules in scripts/docs/transcripts.ts and README.md, Development); `npm run docs` rewrites the ones that drifted.
 * Needs the built CLI (npm test builds first).
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it, test } from 'vitest'
import { markdownFiles } from '../../scripts/docs/files'
import { ROOT } from '../../scripts/docs/snippets'
import { findTranscripts, judge, lineDiff, normalise, outputMatches, refresh, runTranscript, type Transcript } from '../../scripts/docs/transcripts'

const found = markdownFiles().map((file) => findTranscripts(file, readFileSync(join(ROOT, file), 'utf8')))
const transcripts = found.flatMap((f) => f.transcripts)

test('every shell block is a transcript or says why it is not run', () => {
  expect(found.flatMap((f) => f.problems)).toEqual([])
  expect(transcripts.length).toBeGreaterThanOrEqual(10)
})

describe.each(transcripts.map((t) => [`${t.file}:${t.line}`, t] as const))('%s', (_, t: Transcript) => {
  it('prints what the doc shows', () => {
    expect(existsSync(join(ROOT, 'dist/cli.js')), 'build first: npm run build').toBe(true)
    const wrong = judge(t, runTranscript(t))
    if (wrong !== undefined) throw new Error(wrong)
  }, 300_000) // a report with 200 bootstrap replicates takes seconds, more on a loaded machine
})

describe('the comparison rules', () => {
  it('a line of … stands for any lines, … in a line for any text', () => {
    expect(outputMatches(['# Report', '', '…', '| total | 3 |'], ['# Report', '', 'a', 'b', '| total | 3 |'])).toBe(true)
    expect(outputMatches(['# Report', '…'], ['# Report'])).toBe(true)
    expect(outputMatches(['{"line":3,…,"variant":"green",…}'], ['{"line":3,"unit":"u","variant":"green","bucket":1}'])).toBe(true)
    expect(outputMatches(['{"line":2,…}'], ['{"line":3,"unit":"u"}'])).toBe(false)
    expect(outputMatches(['a', 'b'], ['a', 'b', 'c'])).toBe(false)
    expect(outputMatches(['wrote report.html (html, 123 KB)'], ['wrote report.html (html, 127 KB)'])).toBe(false)
    expect(outputMatches(['x   ', '', ''], ['x'])).toBe(true)
  })
  it('drops only the lines a slow machine adds, and the sandbox path', () => {
    const out = 'touchpoint report: 120,000 rows read (61,234 rows/s)\nwrote /tmp/x/work/r.html\ntouchpoint attribute: 1,000,000 rows in 2.4 s (416,667 rows/s)\n12 touchpoints, 305 journeys\n\n'
    expect(normalise(out, '/tmp/x/work')).toEqual(['wrote r.html', '12 touchpoints, 305 journeys'])
  })
  it('shows a readable diff', () => {
    expect(lineDiff(['a', 'b', 'c'], ['a', 'B', 'c'])).toBe('  a\n- b\n+ B\n  c')
  })
  it('refresh rewrites exactly the commands that drifted, and the output region', () => {
    const doc = ['<!-- doc: output below -->', '```console', '$ echo one', 'one', '$ echo two', 'old', '$ echo three', '```', '', '<!-- doc-output -->', 'stale', '<!-- /doc-output -->', ''].join('\n')
    const [t] = findTranscripts('x.md', doc).transcripts
    const ran = runTranscript(t!)
    expect(judge(t!, ran)).toMatch(/x\.md:5[\s\S]*- old\n\+ two[\s\S]*output region[\s\S]*- stale\n\+ three/)
    expect(refresh(doc, [{ transcript: t!, ran }])).toBe(doc.replace('old', 'two').replace('stale', 'three'))
  })
  it('checks exit codes', () => {
    const [t] = findTranscripts('x.md', '```sh\n$ false\n```\n').transcripts
    expect(judge(t!, runTranscript(t!))).toMatch(/exited 1, the doc expects 0/)
    const [u] = findTranscripts('x.md', '<!-- doc: exit=1 -->\n```sh\n$ false\n```\n').transcripts
    expect(judge(u!, runTranscript(u!))).toBeUndefined()
  })
  it('a plain block can be the output of a command it does not show', () => {
    const doc = '<!-- doc: output of: printf "a\\nb\\n"; exit=0 -->\n```\na\nb\n```\n'
    const [t] = findTranscripts('x.md', doc).transcripts
    expect(judge(t!, runTranscript(t!))).toBeUndefined()
    const [u] = findTranscripts('x.md', doc.replace('a\nb\n```', 'a\nc\n```')).transcripts
    expect(judge(u!, runTranscript(u!))).toMatch(/- c\n\+ b/)
    expect(findTranscripts('x.md', '<!-- doc: exit=1 -->\n```json\n{}\n```\n').problems.join()).toMatch(/only doc marker is "output of/)
  })
  it('refuses unmarked shell blocks without commands and markers without a reason', () => {
    expect(findTranscripts('x.md', '```sh\nnpm ci\n```\n').problems.join()).toMatch(/no "\$ " command/)
    expect(findTranscripts('x.md', '<!-- doc: no-run -->\n```sh\nnpm ci\n```\n').problems.join()).toMatch(/say why/)
    expect(findTranscripts('x.md', '<!-- doc: no-run: needs an account -->\n```sh\nnpm ci\n```\n').skipped).toHaveLength(1)
  })
})
