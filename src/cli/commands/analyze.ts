/**
 * `touchpoint analyze FILE`: per-arm sufficient statistics in, the summary a person reads (or JSON) out.
 *
 * @module
 */
import { extname } from 'node:path'
import * as E from 'fp-ts/Either'
import { formatError } from '../../core/errors'
import { parseJson } from '../../core/json'
import { analyze, type AnalyzeOptions } from '../../stats/analyze'
import { summarize } from '../../stats/summarize'
import type { Correction } from '../../stats/frequentist/adjustPValues'
import { jsonProblem } from '../config'
import { EXIT_DATA, EXIT_USAGE, commandArgs, say, where, type Command, type Io } from '../io'
import { analyzeLines, isStatisticsLines, statisticsLinesOf } from '../analyzeLines'
import { runAnalyzeLogs } from '../analyzeLogs'
import { writeOutput } from '../output'
import { InvalidUtf8, isCsvProblem, readCsv, readTextFile, REPLACE_HINT, replacedNote, textStream, textTally, type TextOptions, type TextTally } from '../textInput'

const help = `Usage: touchpoint analyze FILE [options]

Analyse an experiment from per-arm sufficient statistics (one row or object per arm) and print, per treatment:
the lift with its confidence interval, the p-value (corrected across treatments, intervals widened to match), the
probability of beating the control, and the sample ratio check. The control is the arm --control (or the JSON
"control" field) names; without one it is the first arm, and a note on standard error says so.

FILE formats (by extension, or --format; "-" reads standard input, JSON if it starts with "{"):
  csv   a header row, then one arm per row. Columns (case and "_" ignored):
          name (or arm, variant), weight (optional designed weight), and one metric kind:
          conversions:  units, conversions
          continuous:   units, sum, sum_squares [, covariate_sum, covariate_sum_squares, covariate_product_sum]
          ratio:        units, numerator_sum, numerator_sum_squares, denominator_sum,
                        denominator_sum_squares, product_sum
  json  {"arms": [{"name": "A", "units": 10000, "conversions": 1000}, ...], "control": "A", "weights": [0.5, 0.5]}

Options:
  -f, --format FORMAT       csv | json | jsonl (per-metric statistics, as analyze --exposures --stats-only prints)
      --control NAME        the control arm (default: the first, with a note on standard error)
      --lift TYPE           relative (default) | absolute
      --level L             confidence level (default 0.95)
      --correction METHOD   holm (default) | bonferroni | benjamini-hochberg | none
      --weights W,W,...     designed split for the sample ratio check (default: equal, or a weight column)
      --srm-threshold P     flag the split below this p-value (default 0.001)
      --sequential          add the always-valid confidence interval (safe to peek)
      --tuning N            tuning of that interval (default 5000 total units)
      --prior A,B           Beta prior for conversion metrics (default 1,1)
      --no-cuped            ignore covariate columns
      --markdown            a Markdown table instead of text
      --json                the full analysis as JSON, for machines (not with --markdown)
  -o, --output FILE         write here (whole or not at all) instead of standard output
      --replace-invalid-utf8  read bytes that are not UTF-8 as U+FFFD and count them (default: an error)
  -h, --help                show this help

From raw exposure and event logs instead (see "touchpoint analyze --exposures --help"):
  touchpoint analyze --exposures FILE --events FILE --metrics FILE [--config FILE] [--stats-only]

Example (experiment.csv):
  arm,units,conversions
  A,10000,1000
  B,10050,1123

  $ touchpoint analyze experiment.csv
  B vs A: +11.7% (95% CI +2.7% to +20.7%), p = 0.011, P(B > A) = 99.7%, sample ratio OK
`

const options = {
  format: { type: 'string', short: 'f' },
  control: { type: 'string' },
  lift: { type: 'string' },
  level: { type: 'string' },
  correction: { type: 'string' },
  weights: { type: 'string' },
  'srm-threshold': { type: 'string' },
  sequential: { type: 'boolean' },
  tuning: { type: 'string' },
  prior: { type: 'string' },
  'no-cuped': { type: 'boolean' },
  markdown: { type: 'boolean' },
  json: { type: 'boolean' },
  output: { type: 'string', short: 'o' },
  'replace-invalid-utf8': { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const

/** CSV header names (lowercased, without "_", "-" or spaces) and the field each fills. */
const COLUMNS: Readonly<Record<string, string>> = {
  name: 'name',
  arm: 'name',
  variant: 'name',
  weight: 'weight',
  units: 'units',
  users: 'units',
  conversions: 'conversions',
  sum: 'sum',
  sumsquares: 'sumSquares',
  covariatesum: 'covariate.sum',
  covariatesumsquares: 'covariate.sumSquares',
  covariateproductsum: 'covariate.productSum',
  numeratorsum: 'numeratorSum',
  numeratorsumsquares: 'numeratorSumSquares',
  denominatorsum: 'denominatorSum',
  denominatorsumsquares: 'denominatorSumSquares',
  productsum: 'productSum',
}

type Parsed = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly message: string }

const parseCsvArms = async (path: string, text: AsyncIterable<string>): Promise<Parsed> => {
  let header: ReadonlyArray<string> | undefined
  const arms: Array<Record<string, unknown>> = []
  for await (const row of readCsv(text)) {
    if (isCsvProblem(row)) return { ok: false, message: `${where(path, row.line)}: ${row.error}` }
    if (row.fields.every((f) => f.trim() === '')) continue
    if (header === undefined) {
      const fields: Array<string> = []
      for (const [i, raw] of row.fields.entries()) {
        const key = raw.trim().toLowerCase().replace(/[\s_-]/g, '')
        const field = COLUMNS[key]
        if (field === undefined) return { ok: false, message: `${where(path, row.line)}: column ${i + 1} "${raw}": expected one of name, weight, units, conversions, sum, sum_squares, covariate_sum, covariate_sum_squares, covariate_product_sum, numerator_sum, numerator_sum_squares, denominator_sum, denominator_sum_squares, product_sum` }
        fields.push(field)
      }
      header = fields
      continue
    }
    if (row.fields.length !== header.length) return { ok: false, message: `${where(path, row.line)}: expected ${header.length} fields, got ${row.fields.length}` }
    const arm: Record<string, unknown> = {}
    for (const [i, field] of header.entries()) {
      const cell = row.fields[i]!.trim()
      if (cell === '') continue
      let value: unknown = cell
      if (field !== 'name') {
        const n = Number(cell)
        if (!Number.isFinite(n)) return { ok: false, message: `${where(path, row.line)}: ${field}: expected a finite number, got ${JSON.stringify(cell)}` }
        value = n
      }
      if (field.startsWith('covariate.')) {
        const cov = (arm['covariate'] ??= {}) as Record<string, unknown>
        cov[field.slice('covariate.'.length)] = value
      } else arm[field] = value
    }
    arms.push(arm)
  }
  if (header === undefined) return { ok: false, message: `${path}: empty file; expected a header row and one row per arm` }
  return { ok: true, value: { arms } }
}

const parseJsonArms = (path: string, text: string): Parsed => {
  // JSON lines of per-metric statistics (analyze --exposures ... --stats-only): analyzeLines.ts.
  const lines = statisticsLinesOf(path, text)
  if (lines !== undefined) return E.isLeft(lines) ? { ok: false, message: lines.left } : { ok: true, value: lines.right }
  const parsed = parseJson(text)
  return E.isLeft(parsed) ? { ok: false, message: jsonProblem(path, parsed.left) } : { ok: true, value: parsed.right }
}

/** The arms from the file, by format; standard input of no given format is JSON when it starts with "{". */
const readArms = async (path: string, format: 'csv' | 'json' | undefined, io: Io, options: TextOptions, tally: TextTally): Promise<Parsed> => {
  if (format === 'csv') return parseCsvArms(path, textStream(path, io, options, tally))
  const text = await readTextFile(path, io, options, tally)
  if (format === undefined && !/^\s*\{/.test(text)) return parseCsvArms(path, (async function* () { yield text })())
  return parseJsonArms(path, text)
}

const numberOption = (name: string, raw: string | undefined, ok: (n: number) => boolean): number | undefined | string => {
  if (raw === undefined) return undefined
  const n = Number(raw)
  return Number.isFinite(n) && ok(n) ? n : `--${name}: expected ${name === 'tuning' ? 'a positive number' : 'a number strictly between 0 and 1'}, got ${JSON.stringify(raw)}`
}

const run = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  // From raw logs instead of sufficient statistics: its own options (analyzeLogs.ts).
  if (argv.some((a) => a === '--exposures' || a.startsWith('--exposures='))) return runAnalyzeLogs(argv, io)
  const parsed = commandArgs('analyze', help, argv, options, io, [['markdown', 'json']])
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  if (positionals.length !== 1) {
    say(io, `touchpoint analyze: expected one FILE, got ${positionals.length === 0 ? 'none' : positionals.join(' ')}\n\n${help}`)
    return EXIT_USAGE
  }
  const usage = (message: string) => {
    say(io, `touchpoint analyze: ${message}`)
    return EXIT_USAGE
  }
  const path = positionals[0]!
  // JSON lines of statistics read as JSON (analyzeLines.ts tells them apart).
  const given = values.format === 'jsonl' ? 'json' : values.format
  const format = given ?? (extname(path).toLowerCase() === '.csv' ? 'csv' : ['.json', '.jsonl', '.ndjson'].includes(extname(path).toLowerCase()) ? 'json' : undefined)
  if (format !== undefined && format !== 'csv' && format !== 'json') return usage(`--format: expected csv, json or jsonl, got ${JSON.stringify(format)}`)
  if (format === undefined && path !== '-') return usage(`cannot tell the format of ${path} from its extension; pass --format csv or --format json`)
  const lift = values.lift ?? 'relative'
  if (lift !== 'relative' && lift !== 'absolute') return usage(`--lift: expected relative or absolute, got ${JSON.stringify(lift)}`)
  const correction = values.correction ?? 'holm'
  if (!['holm', 'bonferroni', 'benjamini-hochberg', 'none'].includes(correction)) return usage(`--correction: expected holm, bonferroni, benjamini-hochberg or none, got ${JSON.stringify(correction)}`)
  const level = numberOption('level', values.level, (n) => n > 0 && n < 1)
  const srm = numberOption('srm-threshold', values['srm-threshold'], (n) => n > 0 && n < 1)
  const tuning = numberOption('tuning', values.tuning, (n) => n > 0)
  for (const v of [level, srm, tuning]) if (typeof v === 'string') return usage(v)
  let weights: ReadonlyArray<number> | undefined
  if (values.weights !== undefined) {
    weights = values.weights.split(',').map((w) => Number(w.trim()))
    if (weights.some((w) => !(Number.isFinite(w) && w >= 0))) return usage(`--weights: expected numbers ≥ 0 separated by commas, got ${JSON.stringify(values.weights)}`)
  }
  let prior: { alpha: number; beta: number } | undefined
  if (values.prior !== undefined) {
    const [a, b, ...rest] = values.prior.split(',').map((x) => Number(x.trim()))
    if (rest.length > 0 || !(a! > 0 && b! > 0 && Number.isFinite(a) && Number.isFinite(b))) return usage(`--prior: expected A,B with A, B > 0, got ${JSON.stringify(values.prior)}`)
    prior = { alpha: a!, beta: b! }
  }

  const tally = textTally()
  let input: Parsed
  try {
    input = await readArms(path, format, io, { replaceInvalid: values['replace-invalid-utf8'] === true }, tally)
  } catch (e) {
    say(io, `touchpoint analyze: ${e instanceof InvalidUtf8 ? `${e.message}${REPLACE_HINT}` : `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`}`)
    return EXIT_DATA
  }
  const note = replacedNote('analyze', path, tally)
  if (note !== undefined) say(io, note)
  if (!input.ok) {
    say(io, `touchpoint analyze: ${input.message}`)
    return EXIT_DATA
  }
  const data = input.value as Record<string, unknown>
  const withFlags =
    data !== null && typeof data === 'object' && !Array.isArray(data)
      ? { ...data, ...(values.control === undefined ? {} : { control: values.control }), ...(weights === undefined ? {} : { weights }) }
      : data
  const analyzeOptions: AnalyzeOptions = {
    type: lift,
    correction: correction as Correction,
    ...(typeof level === 'number' ? { level } : {}),
    ...(typeof srm === 'number' ? { srmThreshold: srm } : {}),
    ...(typeof tuning === 'number' ? { tuning } : {}),
    ...(values.sequential === true ? { sequential: true } : {}),
    ...(prior === undefined ? {} : { prior }),
    ...(values['no-cuped'] === true ? { cuped: false } : {}),
  }
  if (isStatisticsLines(data)) return analyzeLines(path, data, analyzeOptions, { ...(values.control === undefined ? {} : { control: values.control }), ...(weights === undefined ? {} : { weights }) }, values.json === true ? 'json' : values.markdown === true ? 'markdown' : 'text', values.output, io)
  const result = analyze(analyzeOptions)(withFlags as never)
  if (E.isLeft(result)) {
    say(io, `touchpoint analyze: ${path === '-' ? '<stdin>' : path}:\n${formatError(result.left).replace(/^/gm, '  ')}`)
    return EXIT_DATA
  }
  if (result.right.control.chosenBy === 'first arm') {
    say(io, `touchpoint analyze: control: ${result.right.control.name} (the first arm; name it with --control or a "control" field)`)
  }
  // JSON has no infinities: an open interval end is written as the string "Infinity" rather than lost as null.
  const finiteJson = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isFinite(value) ? String(value) : value)
  const text =
    values.json === true
      ? `${JSON.stringify(result.right, finiteJson, 2)}\n`
      : `${summarize({ format: values.markdown === true ? 'markdown' : 'text' })(result.right)}\n`
  return writeOutput('analyze', values.output, io, text)
}

export const analyzeCommand: Command = { name: 'analyze', summary: 'analyse an experiment from per-arm sufficient statistics (lift, p, P(better), SRM)', help, run }
