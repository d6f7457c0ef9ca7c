/**
 * `touchpoint assign --config FILE [UNITS]`: backfill assignments for a list of units.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import { extname } from 'node:path'
import * as E from 'fp-ts/Either'
import { assignExperiment } from '../../assignment/assign'
import { decodeConfigJson } from '../../assignment/decode'
import type { Assigner, Assignment, AttributeValue, Unit } from '../../assignment/model'
import { formatError } from '../../core/errors'
import { EXIT_DATA, EXIT_OK, EXIT_USAGE, inputStream, isCsvProblem, openOutput, commandArgs, readCsv, readLines, say, where, type Command, type Io } from '../io'

const help = `Usage: touchpoint assign --config FILE [UNITS] [options]

Assign every unit in UNITS (a file, or standard input when omitted or "-") to the experiments of the config,
and write one JSON line per unit and experiment, for backfilling assignments into logs.

UNITS formats:
  jsonl   one unit per line: an object of attributes ({"userId": "u-1", "country": "DE"}) or a bare id ("u-1")
  csv     a header row naming the attributes, then one unit per row; cells that read as numbers are numbers
  The format follows the file extension (.csv, .jsonl, .ndjson, .json) or --format; on standard input it is
  sniffed from the first line ("{" or a quote starts JSONL).

Options:
  -c, --config FILE        experiment config (JSON), required
  -f, --format FORMAT      csv | jsonl
      --id-attribute NAME  attribute a bare id is stored under (default: "id")
  -e, --experiment KEY     only this experiment (repeatable)
      --enrolled-only      write only enrolled units
  -o, --output FILE        write here (whole or not at all) instead of standard output
      --on-error MODE      fail (default): stop at the first bad line, write nothing, exit 1
                           skip: skip bad lines, report how many and the first few reasons
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
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (e) {
    return { error: `expected a JSON object or a JSON string id, got ${text.slice(0, 60)} (${e instanceof Error ? e.message : String(e)})` }
  }
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

async function* units(path: string, format: Format, idAttribute: string, io: Io): AsyncGenerator<{ line: number } & Parsed> {
  const input = inputStream(path, io)
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

/** Peek at stdin's first line to tell JSONL from CSV, without losing it. */
const sniff = async (io: Io): Promise<{ format: Format; io: Io }> => {
  const { Readable } = await import('node:stream')
  const iterator = (io.stdin as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]()
  const first = await iterator.next()
  const head = first.done ? '' : String(first.value)
  const format: Format = /^\s*[{"]/.test(head.replace(/^\uFEFF/, '')) ? 'jsonl' : 'csv'
  async function* replay() {
    if (!first.done) yield first.value
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value
  }
  return { format, io: { ...io, stdin: Readable.from(replay()) } }
}

const run = async (argv: ReadonlyArray<string>, io0: Io): Promise<number> => {
  const parsed = commandArgs('assign', help, argv, options, io0)
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  if (values.config === undefined) {
    say(io0, `touchpoint assign: --config FILE is required\n\n${help}`)
    return EXIT_USAGE
  }
  if (positionals.length > 1) {
    say(io0, `touchpoint assign: expected at most one UNITS file, got ${positionals.length}: ${positionals.join(' ')}`)
    return EXIT_USAGE
  }
  const onError = values['on-error'] ?? 'fail'
  if (onError !== 'fail' && onError !== 'skip') {
    say(io0, `touchpoint assign: --on-error: expected fail or skip, got ${JSON.stringify(onError)}`)
    return EXIT_USAGE
  }
  const path = positionals[0] ?? '-'
  let io = io0
  let format = formatOf(path, values.format)
  if (values.format !== undefined && format === undefined) {
    say(io, `touchpoint assign: --format: expected csv or jsonl, got ${JSON.stringify(values.format)}`)
    return EXIT_USAGE
  }
  if (format === undefined) {
    if (path !== '-') {
      say(io, `touchpoint assign: cannot tell the format of ${path} from its extension; pass --format csv or --format jsonl`)
      return EXIT_USAGE
    }
    ;({ format, io } = await sniff(io))
  }

  let configText: string
  try {
    configText = await readFile(values.config, 'utf8')
  } catch (e) {
    say(io, `touchpoint assign: cannot read config ${values.config}: ${e instanceof Error ? e.message : String(e)}`)
    return EXIT_DATA
  }
  const decoded = decodeConfigJson(configText)
  if (E.isLeft(decoded)) {
    say(io, `touchpoint assign: invalid config ${values.config}:\n${formatError(decoded.left).replace(/^/gm, '  ')}`)
    return EXIT_DATA
  }
  const assigner: Assigner = decoded.right
  const wanted = values.experiment
  const unknown = (wanted ?? []).filter((k) => !assigner.byKey.has(k))
  if (unknown.length > 0) {
    say(io, `touchpoint assign: --experiment: no experiment ${unknown.map((k) => JSON.stringify(k)).join(', ')} in ${values.config} (it has ${[...assigner.byKey.keys()].join(', ')})`)
    return EXIT_USAGE
  }
  const experiments = wanted === undefined ? assigner.experiments : wanted.map((k) => assigner.byKey.get(k)!)
  const enrolledOnly = values['enrolled-only'] === true
  const idAttribute = values['id-attribute'] ?? 'id'

  const output = openOutput(values.output, io)
  const skipped: Array<string> = []
  let skippedCount = 0
  try {
    for await (const item of units(path, format, idAttribute, io)) {
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
      let lines = ''
      for (const experiment of experiments) {
        const a = assignExperiment(item.unit)(experiment)
        if (!enrolledOnly || a._tag === 'Enrolled') lines += `${record(a, item.line)}\n`
      }
      if (lines !== '') await output.write(lines)
    }
    await output.commit()
  } catch (e) {
    await output.abort()
    say(io, `touchpoint assign: ${e instanceof Error ? e.message : String(e)}\nNothing was written.`)
    return EXIT_DATA
  }
  if (skippedCount > 0) {
    say(io, `touchpoint assign: skipped ${skippedCount} bad line${skippedCount === 1 ? '' : 's'}; first ${skipped.length}:\n${skipped.map((s) => `  ${s}`).join('\n')}`)
  }
  return EXIT_OK
}

export const assignCommand: Command = { name: 'assign', summary: 'assign units to experiments (backfill, one JSON line per unit and experiment)', help, run }
