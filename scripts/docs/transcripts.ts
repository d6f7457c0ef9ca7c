/**
 * Shell sessions in README.md and docs/*.md, run and compared. A fenced block (```console, ```sh, ```bash or
 * ```shell) whose lines start with `$ ` is a transcript: each `$ ` line is a command (a line ending in `\`
 * continues it), the lines below it up to the next `$ ` are what it prints (standard output and standard error,
 * as a terminal shows them). An HTML comment on the line above the fence adjusts it:
 *
 * - `<!-- doc: no-run: REASON -->` the block is not run (say why); every other shell block must be a transcript;
 * - `<!-- doc: exit=1 -->` the exit status of every command of the block (default 0);
 * - `<!-- doc: output below -->` the last command's output is the Markdown between `<!-- doc-output -->` and
 *   `<!-- /doc-output -->` after the block (a table that should render as one).
 *
 * A block of another kind (plain ``` or ```text) showing what something prints says so with
 * `<!-- doc: output of: COMMAND -->`: its lines are COMMAND's output, run as above (`exit=N` may follow, after `;`).
 *
 * How commands run: with bash, from a fresh directory holding a copy of examples/ and of tests/docs/fixtures/,
 * `touchpoint` (and `npx touchpoint`) being the built dist/cli.js, the built package importable by name
 * (`import { touchpoint } from 'touchpoint/edge'` in a fixture script run with node), TZ=UTC. How output is compared: trailing
 * spaces and trailing blank lines are ignored; a line that is only `…` stands for any number of lines and `…`
 * inside a line for any text; the lines the CLI prints only when a run takes over 2 s (`N rows read (R rows/s)`,
 * `N rows in S s (R rows/s)`) are dropped, since whether they appear depends on the machine. Everything else,
 * sizes included, must be equal: they are deterministic.
 *
 * @module
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ROOT } from './snippets'

export interface Command {
  readonly text: string
  /** The output lines the doc shows for it. */
  readonly expected: ReadonlyArray<string>
  /** Doc lines [from, to) holding that output. */
  readonly from: number
  readonly to: number
}

export interface Transcript {
  readonly file: string
  /** 1-based line of the opening fence. */
  readonly line: number
  readonly commands: ReadonlyArray<Command>
  readonly exit: number
  /** Set for `output below`: where the region's lines are, [from, to), 0-based. */
  readonly region?: { readonly from: number; readonly to: number; readonly expected: ReadonlyArray<string> }
}

export interface Skipped {
  readonly file: string
  readonly line: number
  readonly reason: string
}

export interface Found {
  readonly transcripts: ReadonlyArray<Transcript>
  readonly skipped: ReadonlyArray<Skipped>
  /** Shell blocks that are neither transcripts nor marked, and markers that make no sense. */
  readonly problems: ReadonlyArray<string>
}

const SHELL = /^```(console|sh|bash|shell)\s*$/

/** The transcripts of one Markdown file. */
export const findTranscripts = (file: string, text: string): Found => {
  const lines = text.split('\n')
  const transcripts: Array<Transcript> = []
  const skipped: Array<Skipped> = []
  const problems: Array<string> = []
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(\S*)/.exec(lines[i]!)
    if (fence === null) continue
    let end = i + 1
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++
    const where = `${file}:${i + 1}`
    const marker = /^<!--\s*doc:\s*(.*?)\s*-->\s*$/.exec(lines[i - 1] ?? '')?.[1]
    const body = lines.slice(i + 1, end)
    const isShell = SHELL.test(lines[i]!)
    if (!isShell) {
      const of = marker === undefined ? undefined : /^output of:\s*(.+?)(?:\s*;\s*exit=(\d+))?$/.exec(marker)
      if (of !== null && of !== undefined) {
        const command: Command = { text: of[1]!, expected: body, from: i + 1, to: end }
        transcripts.push({ file, line: i + 1, commands: [command], exit: of[2] === undefined ? 0 : Number(of[2]) })
      } else if (marker !== undefined) problems.push(`${where}: on a ${fence[1] || 'plain'} block the only doc marker is "output of: COMMAND"`)
      i = end
      continue
    }
    if (marker !== undefined && /^no-run\b/.test(marker)) {
      const reason = /^no-run:\s*(.+)$/.exec(marker)?.[1]
      if (reason === undefined) problems.push(`${where}: say why the block is not run: <!-- doc: no-run: REASON -->`)
      else skipped.push({ file, line: i + 1, reason })
      i = end
      continue
    }
    const commands: Array<Command> = []
    for (let k = 0; k < body.length; k++) {
      if (!body[k]!.startsWith('$ ')) {
        if (commands.length === 0 && body[k]!.trim() !== '') problems.push(`${file}:${i + 2 + k}: output before the first "$ " command`)
        continue
      }
      let command = body[k]!.slice(2)
      while (command.endsWith('\\') && k + 1 < body.length) command = `${command.slice(0, -1)}\n${body[++k]!}`
      let o = k + 1
      while (o < body.length && !body[o]!.startsWith('$ ')) o++
      commands.push({ text: command, expected: body.slice(k + 1, o), from: i + 1 + k + 1, to: i + 1 + o })
      k = o - 1
    }
    if (commands.length === 0) {
      problems.push(`${where}: a shell block with no "$ " command: make it a transcript or mark it <!-- doc: no-run: REASON -->`)
      i = end
      continue
    }
    let exit = 0
    let region: Transcript['region']
    for (const word of (marker ?? '').split(/\s*;\s*|\s+(?=exit=)/).filter((w) => w !== '')) {
      const m = /^exit=(\d+)$/.exec(word)
      if (m !== null) exit = Number(m[1])
      else if (word === 'output below') {
        const open = lines.findIndex((l, n) => n > end && /^<!--\s*doc-output\s*-->\s*$/.test(l))
        const close = lines.findIndex((l, n) => n > open && /^<!--\s*\/doc-output\s*-->\s*$/.test(l))
        if (open < 0 || close < 0 || lines.slice(end + 1, open).some((l) => l.trim() !== '')) {
          problems.push(`${where}: "output below" needs <!-- doc-output --> … <!-- /doc-output --> right after the block`)
        } else region = { from: open + 1, to: close, expected: lines.slice(open + 1, close) }
      } else problems.push(`${where}: unknown doc marker "${word}" (no-run: REASON, exit=N, output below)`)
    }
    if (region !== undefined && commands[commands.length - 1]!.expected.some((l) => l.trim() !== '')) {
      problems.push(`${where}: "output below", but the last command also shows output in the block`)
    }
    transcripts.push({ file, line: i + 1, commands, exit, ...(region === undefined ? {} : { region }) })
    i = end
  }
  return { transcripts, skipped, problems }
}

/** What the CLI prints only on slow runs (progress every 2 s, and the rate at the end of a run over 2 s). */
const SLOW_RUN_LINE = /^touchpoint \w+: [\d,]+ rows (read|in [\d.]+ s) \([\d,]+ rows\/s\)$/

export const normalise = (output: string, cwd: string): Array<string> => {
  const lines = output
    .split(cwd + '/').join('')
    .split(cwd).join('.')
    .split('\n')
    .map((l) => l.replace(/\s+$/, ''))
    .filter((l) => !SLOW_RUN_LINE.test(l))
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop()
  return lines
}

const lineMatches = (pattern: string, actual: string): boolean => {
  if (!pattern.includes('…')) return pattern === actual
  const parts = pattern.split('…')
  if (!actual.startsWith(parts[0]!) || !actual.endsWith(parts[parts.length - 1]!)) return false
  let at = parts[0]!.length
  const end = actual.length - parts[parts.length - 1]!.length
  if (end < at) return false
  for (const part of parts.slice(1, -1)) {
    const found = actual.indexOf(part, at)
    if (found < 0 || found + part.length > end) return false
    at = found + part.length
  }
  return true
}

/** Whether the actual lines meet the expected ones (`…` lines and `…` inside lines as described above). */
export const outputMatches = (expected: ReadonlyArray<string>, actual: ReadonlyArray<string>): boolean => {
  const pattern = expected.map((l) => l.replace(/\s+$/, ''))
  while (pattern.length > 0 && pattern[pattern.length - 1] === '') pattern.pop()
  const memo = new Map<string, boolean>()
  const go = (p: number, a: number): boolean => {
    const key = `${p},${a}`
    const known = memo.get(key)
    if (known !== undefined) return known
    let result: boolean
    if (p === pattern.length) result = a === actual.length
    else if (pattern[p] === '…') result = go(p + 1, a) || (a < actual.length && go(p, a + 1))
    else result = a < actual.length && lineMatches(pattern[p]!, actual[a]!) && go(p + 1, a + 1)
    memo.set(key, result)
    return result
  }
  return go(0, 0)
}

/** A short unified diff of two line lists (expected as "-", actual as "+"), for failure messages. */
export const lineDiff = (expected: ReadonlyArray<string>, actual: ReadonlyArray<string>): string => {
  const n = expected.length
  const m = actual.length
  const lcs: Array<Array<number>> = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0))
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i]![j] = lineMatches(expected[i]!, actual[j]!) ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!)
    }
  }
  const out: Array<string> = []
  let i = 0
  let j = 0
  while (i < n || j < m) {
    if (i < n && j < m && lineMatches(expected[i]!, actual[j]!)) {
      out.push(`  ${actual[j]}`)
      i++
      j++
    } else if (i < n && (j === m || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) out.push(`- ${expected[i++]}`)
    else out.push(`+ ${actual[j++]}`)
  }
  return out.join('\n')
}

export interface Ran {
  readonly command: Command
  readonly actual: ReadonlyArray<string>
  readonly status: number | null
}

/** A fresh directory for one transcript, and a PATH on which `touchpoint` is the built CLI. */
export const sandbox = (): { readonly cwd: string; readonly env: NodeJS.ProcessEnv; readonly dispose: () => void } => {
  const base = mkdtempSync(join(tmpdir(), 'touchpoint-docs-'))
  const cwd = join(base, 'work')
  const bin = join(base, 'bin')
  mkdirSync(bin, { recursive: true })
  cpSync(join(ROOT, 'examples'), join(cwd, 'examples'), { recursive: true })
  cpSync(join(ROOT, 'tests/docs/fixtures'), cwd, { recursive: true })
  mkdirSync(join(cwd, 'node_modules'))
  symlinkSync(ROOT, join(cwd, 'node_modules', 'touchpoint'), 'dir')
  writeFileSync(join(bin, 'touchpoint'), `#!/bin/sh\nexec "${process.execPath}" "${join(ROOT, 'dist/cli.js')}" "$@"\n`)
  chmodSync(join(bin, 'touchpoint'), 0o755)
  const env: NodeJS.ProcessEnv = { PATH: `${bin}:${process.env['PATH'] ?? ''}`, HOME: base, TZ: 'UTC', LANG: 'C.UTF-8', LC_ALL: 'C.UTF-8', NO_COLOR: '1' }
  return { cwd, env, dispose: () => rmSync(base, { recursive: true, force: true }) }
}

/** Runs a transcript's commands in order in one sandbox. */
export const runTranscript = (t: Transcript): Array<Ran> => {
  const box = sandbox()
  try {
    return t.commands.map((command) => {
      const text = command.text.replace(/(^|[;&|(]\s*)npx touchpoint\b/g, '$1touchpoint')
      const r = spawnSync('bash', ['-c', `exec 2>&1\n${text}`], { cwd: box.cwd, env: box.env, encoding: 'utf8', timeout: 300_000, maxBuffer: 64 * 1024 * 1024 })
      return { command, actual: normalise(`${r.stdout ?? ''}${r.error === undefined ? '' : `\n(${r.error.message})`}`, box.cwd), status: r.status }
    })
  } finally {
    box.dispose()
  }
}

/** What is wrong with a run, or undefined: readable, with a diff per command. */
export const judge = (t: Transcript, ran: ReadonlyArray<Ran>): string | undefined => {
  const failures: Array<string> = []
  ran.forEach((r, k) => {
    const last = k === ran.length - 1
    const want = t.exit
    const where = `${t.file}:${r.command.from}`
    if (r.status !== want) failures.push(`${where}: $ ${r.command.text}\n  exited ${r.status}, the doc expects ${want}${want === 0 ? '' : ' (doc: exit=N)'}\n${r.actual.map((l) => `  | ${l}`).join('\n')}`)
    const expected = last && t.region !== undefined ? t.region.expected : r.command.expected
    if (!outputMatches(expected, r.actual)) {
      const place = last && t.region !== undefined ? `${t.file}:${t.region.from + 1} (the output region)` : where
      failures.push(`${place}: $ ${r.command.text}\n  prints something else (- the doc, + now; "npm run docs" rewrites it):\n${lineDiff(expected, r.actual)}`)
    }
  })
  return failures.length === 0 ? undefined : failures.join('\n\n')
}

/** The file's text with every transcript that does not match replaced by what its commands print now. */
export const refresh = (text: string, updates: ReadonlyArray<{ readonly transcript: Transcript; readonly ran: ReadonlyArray<Ran> }>): string => {
  const lines = text.split('\n')
  const edits: Array<{ from: number; to: number; lines: ReadonlyArray<string> }> = []
  for (const { transcript: t, ran } of updates) {
    ran.forEach((r, k) => {
      const inRegion = k === ran.length - 1 && t.region !== undefined
      const expected = inRegion ? t.region!.expected : r.command.expected
      if (outputMatches(expected, r.actual)) return
      if (inRegion) edits.push({ from: t.region!.from, to: t.region!.to, lines: r.actual })
      else edits.push({ from: r.command.from, to: r.command.to, lines: r.actual })
    })
  }
  for (const e of edits.sort((a, b) => b.from - a.from)) lines.splice(e.from, e.to - e.from, ...e.lines)
  return lines.join('\n')
}
