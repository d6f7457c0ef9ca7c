/**
 * `npm run docs`: builds (the script does), runs every transcript of README.md and docs/*.md, and writes what
 * the commands print now into the blocks whose output no longer matches; points the README's links at the docs
 * shipped in the package for this version. Code samples are not rewritten: `npx vitest run tests/docs` shows
 * each claim that fails with the value written as a claim, ready to paste.
 *
 * @module
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { markdownFiles } from './files'
import { packageLinks, packageVersion } from './links'
import { ROOT } from './snippets'
import { findTranscripts, judge, refresh, runTranscript } from './transcripts'

let problems = 0
let commands = 0
let rewritten = 0
for (const file of markdownFiles()) {
  const path = join(ROOT, file)
  const text = readFileSync(path, 'utf8')
  const found = findTranscripts(file, text)
  for (const p of found.problems) console.error(p)
  problems += found.problems.length
  const updates = found.transcripts.map((transcript) => ({ transcript, ran: runTranscript(transcript) }))
  commands += updates.reduce((n, u) => n + u.ran.length, 0)
  for (const u of updates) {
    const wrong = judge(u.transcript, u.ran)
    if (wrong === undefined) continue
    rewritten++
    console.log(`${wrong}\n`)
  }
  let next = refresh(text, updates)
  if (file === 'README.md') next = packageLinks(next, packageVersion())
  if (next !== text) {
    writeFileSync(path, next)
    console.log(`wrote ${file}`)
  }
}
console.log(`${commands} commands run; ${rewritten} transcript(s) differed and were rewritten (exit codes are not: fix those by hand)`)
if (problems > 0) {
  console.error(`${problems} problem(s) with the doc markers above`)
  process.exitCode = 1
}
