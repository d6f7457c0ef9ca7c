/**
 * `touchpoint assign --config FILE [UNITS]`: backfill assignments for a list of units.
 *
 * @module
 */
import { extname } from 'node:path'
import * as E from 'fp-ts/Either'
import { assignExperiment } from '../../assignment/assign'
import type { Assigner, Assignment, AttributeValue, Unit } from '../../assignment/model'
import { formatIssue } from '../../core/errors'
import { parseJson } from '../../core/json'
import { loadConfig } from '../config'
import { EXIT_DATA, EXIT_OK, EXIT_USAGE, commandArgs, say, where, type Command, type Io } from '../io'
import { openOutput, outputFailure, type Output } from '../output'
import { InvalidUtf8, isCsvProblem, readCsv, readLines, REPLACE_HINT, replacedNote, textStream, textTally, type TextTally } from '../textInput'

const help = `Usage: touchpoint assign --config FILE [UNITS] [options]

Assign every unit in UNITS (a file, or standard input when omitted or "-") to the experiments of the config,
and write one JSON line per unit and experiment, for backfilling assignments into logs.

UNITS formats:
  jsonl   one unit per line: an object of attributes ({"userId": "u-1", "country": "DE"}) or a bare id ("u-1")
  csv     a header row naming the attributes, then one unit per row; cells that read as numbers are numbers
  The format follows the file extension (.csv, .jsonl, .ndjson, .json) or --format; on standard input it is
  sniffed from the first line ("{" or a quote starts JSONL).

Options:
  -c, --config FILE        experiment config (JSON, raw or from "touchpoint compile"), required
  -f, --format FORMAT      csv | jsonl
      --id-attribute NAME  attribute a bare id is stored under (default: "id")
  -e, --experiment KEY     only this experiment (repeatable)
      --enrolled-only      write only enrolled units
  -o, --output FILE        write here (whole or not at all) instead of standard output
      --on-error MODE      fail (default): stop at the first bad line, write nothing, exit 1
                           skip: skip bad lines, report how many and the first few reasons (exit 1
                           when no line was good)
      --replace-invalid-utf8
                           read bytes that are not UTF-8 as U+FFFD and count them (default: an error)
  -h, --help               show this help

Output line fields: line, experiment, unit, unitId, enrolled, then variant, variantIndex, bucket, hashVersion,
override (enrolled) or reason (not enrolled: inactive, missing-unit, targeting, holdout, layer, coverage).

Example:
  touchpoint assign --config examples/experiments.json examples/units.csv --enrolled-only
`

const options = {
  config: { type: 'string', short: 'c' },
  format: { type: 'string', short: 'f' },
  'id-attribute': { type: 'string' },
  experiment: { type: 'string', short: 'e', multiple: true },
  'enrolled-only': { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  'on-error': { type: 'string' },
  'replace-invalid-utf8': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

type Format = 'csv' | 'jsonl'

const formatOf = (path: string, given: string | undefined): Format | undefined => {
  if (given === 'csv' || given === 'jsonl') return given
  if (given !== undefined) return undefined
  const ext = extname(path).toLowerCase()
  if (ext === '.csv') return 'csv'
  if (ext === '.jsonl' || ext === '.ndjson' || ext === '.json') return 'jsonl'
  return undefined
}

/** A CSV cell as an attribute value: canonical numbers become numbers ("007" stays a string). */
const cellValue = (cell: string): AttributeValue => {
  if (cell === '') return undefined
  const n = Number(cell)
  return Number.isFinite(n) && String(n) === cell ? n : cell
}

const isScalar = (v: unknown): v is AttributeValue =>
  v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v))

type Parsed = { readonly unit: Unit } | { readonly error: string }

const parseJsonUnit = (text: string, idAttribute: string): Parsed => {
  const parsed = parseJson(text)
  if (E.isLeft(parsed)) {
    const issue = parsed.left._tag === 'InvalidInput' ? parsed.left.issues[0] : undefined
    // A key given twice is named as such; anything else is not a unit at all.
    if (issue !== undefined && issue.expected.startsWith('each key once')) return { error: formatIssue({ path: issue.path, expected: issue.expected, actual: issue.actual }) }
    return { error: `expected a JSON object or a JSON string id, got ${text.slice(0, 60)}${issue === undefined ? '' : ` (column ${issue.column}: expected ${issue.expected})`}` }
  }
  const value = parsed.right
  if (typeof value === 'string' || typeof value === 'number') return { unit: { [idAttribute]: value } }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { error: `expected a JSON object of attributes or a string id, got ${text.slice(0, 60)}` }
  }
  for (const [key, v] of Object.entries(value)) {
    if (!isScalar(v)) return { error: `${key}: expected a string, number, boolean or null, got ${JSON.stringify(v)?.slice(0, 60)}` }
  }
  return { unit: value as Unit }
}

const record = (a: Assignment, line: number): string =>
  a._tag === 'Enrolled'
    ? JSON.stringify({
        line,
        experiment: a.experiment,
        unit: a.unit,
        unitId: a.unitId,
        enrolled: true,
        variant: a.variant,
        variantIndex: a.variantIndex,
        bucket: a.bucket,
        hashVersion: a.hashVersion,
        override: a.override,
      })
    : JSON.stringify({ line, experiment: a.experiment, unit: a.unit, unitId: a.unitId ?? null, enrolled: false, reason: a.reason })

async function* units(input: AsyncIterable<string>, format: Format, idAttribute: string): AsyncGenerator<{ line: number } & Parsed> {
  if (format === 'jsonl') {
    for await (const { line, text } of readLines(input)) yield { line, ...parseJsonUnit(text, idAttribute) }
    return
  }
  let header: ReadonlyArray<string> | undefined
  for await (const row of readCsv(input)) {
    if (isCsvProblem(row)) {
      yield { line: row.line, error: row.error }
      continue
    }
    if (header === undefined) {
      header = row.fields.map((f) => f.trim())
      const empty = header.findIndex((h) => h === '')
      if (empty >= 0) yield { line: row.line, error: `header column ${empty + 1}: expected a name, got an empty cell` }
      continue
    }
    if (row.fields.length !== header.length) {
      yield { line: row.line, error: `expected ${header.length} fields (${header.join(', ')}), got ${row.fields.length}` }
      continue
    }
    const unit: Record<string, AttributeValue> = {}
    header.forEach((name, i) => {
      unit[name] = cellValue(row.fields[i]!)
    })
    yield { line: row.line, unit }
  }
}

/** Peek at the first text of standard input to tell JSONL from CSV, without losing it. */
const sniff = async (text: AsyncIterable<string>): Promise<{ format: Format; text: AsyncIterable<string> }> => {
  const iterator = text[Symbol.asyncIterator]()
  const first = await iterator.next()
  const head = first.done ? '' : first.value
  const format: Format = /^\s*[{"]/.test(head) ? 'jsonl' : 'csv'
  async function* replay() {
    if (!first.done) yield first.value
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
  }
  return { format, text: replay() }
}

const run = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  const parsed = commandArgs('assign', help, argv, options, io)
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  if (values.config === undefined) {
    say(io, `touchpoint assign: --config FILE is required\n\n${help}`)
    return EXIT_USAGE
  }
  if (positionals.length > 1) {
    say(io, `touchpoint assign: expected at most one UNITS file, got ${positionals.length}: ${positionals.join(' ')}`)
    return EXIT_USAGE
  }
  const onError = values['on-error'] ?? 'fail'
  if (onError !== 'fail' && onError !== 'skip') {
    say(io, `touchpoint assign: --on-error: expected fail or skip, got ${JSON.stringify(onError)}`)
    return EXIT_USAGE
  }
  const path = positionals[0] ?? '-'
  const given = formatOf(path, values.format)
  if (values.format !== undefined && given === undefined) {
    say(io, `touchpoint assign: --format: expected csv or jsonl, got ${JSON.stringify(values.format)}`)
    return EXIT_USAGE
  }
  if (given === undefined && path !== '-') {
    say(io, `touchpoint assign: cannot tell the format of ${path} from its extension; pass --format csv or --format jsonl`)
    return EXIT_USAGE
  }

  const loaded = await loadConfig(values.config, io)
  if (E.isLeft(loaded)) {
    say(io, `touchpoint assign: ${loaded.left}`)
    return EXIT_DATA
  }
  const assigner: Assigner = loaded.right.assigner
  const wanted = values.experiment
  const unknown = (wanted ?? []).filter((k) => !assigner.byKey.has(k))
  if (unknown.length > 0) {
    say(io, `touchpoint assign: --experiment: no experiment ${unknown.map((k) => JSON.stringify(k)).join(', ')} in ${values.config} (it has ${[...assigner.byKey.keys()].join(', ')})`)
    return EXIT_USAGE
  }
  const experiments = wanted === undefined ? assigner.experiments : wanted.map((k) => assigner.byKey.get(k)!)
  const enrolledOnly = values['enrolled-only'] === true
  const idAttribute = values['id-attribute'] ?? 'id'

  let output: Output
  try {
    output = await openOutput(values.output, io)
  } catch (e) {
    return outputFailure('assign', e, io)
  }
  const tally: TextTally = textTally()
  const skipped: Array<string> = []
  let skippedCount = 0
  let good = 0
  try {
    let text: AsyncIterable<string> = textStream(path, io, { replaceInvalid: values['replace-invalid-utf8'] === true }, tally)
    let format = given
    if (format === undefined) ({ format, text } = await sniff(text))
    for await (const item of units(text, format, idAttribute)) {
      if ('error' in item) {
        const message = `${where(path, item.line)}: ${item.error}`
        if (onError === 'fail') {
          await output.abort()
          say(io, `touchpoint assign: ${message}\nNothing was written. Use --on-error skip to skip bad lines.`)
          return EXIT_DATA
        }
        skippedCount++
        if (skipped.length < 5) skipped.push(message)
        continue
      }
      good++
      let lines = ''
      for (const experiment of experiments) {
        const a = assignExperiment(item.unit)(experiment)
        if (!enrolledOnly || a._tag === 'Enrolled') lines += `${record(a, item.line)}\n`
      }
      if (lines !== '') {
        const wait = output.write(lines)
        if (wait !== undefined) await wait
      }
    }
    if (good === 0 && skippedCount > 0) {
      await output.abort()
      say(io, `touchpoint assign: skipped ${skippedCount} bad line${skippedCount === 1 ? '' : 's'} and found no good line; nothing was written. First ${skipped.length}:\n${skipped.map((s) => `  ${s}`).join('\n')}`)
      return EXIT_DATA
    }
    await output.commit()
  } catch (e) {
    await output.abort()
    if (e instanceof InvalidUtf8) {
      say(io, `touchpoint assign: ${e.message}${REPLACE_HINT}\nNothing was written.`)
      return EXIT_DATA
    }
    try {
      return outputFailure('assign', e, io)
    } catch {
      say(io, `touchpoint assign: ${e instanceof Error ? e.message : String(e)}\nNothing was written.`)
      return EXIT_DATA
    }
  }
  const note = replacedNote('assign', path, tally)
  if (note !== undefined) say(io, note)
  if (skippedCount > 0) {
    say(io, `touchpoint assign: skipped ${skippedCount} bad line${skippedCount === 1 ? '' : 's'}; first ${skipped.length}:\n${skipped.map((s) => `  ${s}`).join('\n')}`)
  }
  return EXIT_OK
}

export const assignCommand: Command = { name: 'assign', summary: 'assign units to experiments (backfill, one JSON line per unit and experiment)', help, run }
