/**
 * `touchpoint report FILE... [--stages FILE] [--costs FILE] [--format html|markdown|json|csv] [--output FILE]`:
 * the touchpoint report (roles, stages, costs, paths, credit of every model with bootstrap intervals) from
 * aggregated paths or event-level touches, read once in a stream that feeds attribution and the report together.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { makeSettings } from '../../attribution/decode'
import type { ModelName } from '../../attribution/model'
import { formatError, invalidInput, type TouchpointError } from '../../core/errors'
import { checkReportSettings, reportSettings } from '../../report/accumulate'
import { buildReport } from '../../report/build'
import { parseCosts } from '../../report/costs'
import { formatReportHtml } from '../../report/html'
import { numberStyleProblem } from '../../report/internal/format'
import type { Satisfaction } from '../../report/actions'
import type { Costs } from '../../report/model'
import { parseSurveys } from '../../report/surveys'
import { parseTouchpointExperiments, type TouchpointExperiment } from '../../report/touchpointExperiments'
import { formatReportCsv, formatReportJson, formatReportMarkdown, type CsvTable } from '../../report/render'
import { locateIssues, parseJson } from '../../core/json'
import { decodeMediumMapping, decodeStageMappingJson, type MediumMapping, type StageMapping } from '../../report/stages'
import type { InputKind } from '../../attribution/read/settings'
import { durationOption, INPUT_HELP, INPUT_OPTIONS, inputSettings, integerOption, modelsOption, UsageError, type InputSettings } from '../inputOptions'
import { readForCommand, readNotes } from '../inputRun'
import { jsonProblem } from '../config'
import { EXIT_DATA, EXIT_OK, EXIT_USAGE, commandArgs, say, where, type Command, type Io } from '../io'
import { checkOutput, writeOutput } from '../output'
import { InvalidUtf8, readTextFile } from '../textInput'
import { ENGINE_OPTIONS, engineOrExit, handOverToDuckDb, handsOver, REPORT_PARTIAL_NOTE } from '../engineRun'
import { reduceReportWithEngine } from '../reportEngine'
import type { ReportPartial, ReportSettings } from '../../report/model'

/**
 * Line and column of each --experiments issue in the file's text. A single entry's issues are named
 * `(the entry).metric`, which is no JSON path: located as `metric`, then named as before.
 */
const ENTRY = '(the entry)'
const locateExperimentIssues =
  (text: string) =>
  (e: TouchpointError): TouchpointError => {
    if (e._tag !== 'InvalidInput') return e
    const bare = (path: string) => (path === ENTRY ? '' : path.startsWith(`${ENTRY}.`) ? path.slice(ENTRY.length + 1) : path)
    const located = locateIssues(text)(invalidInput(e.issues.map((i) => ({ ...i, path: bare(i.path) }))))
    return located._tag === 'InvalidInput' ? invalidInput(located.issues.map((i, k) => ({ ...i, path: e.issues[k]!.path }))) : e
  }

const DEFAULT_MODELS: ReadonlyArray<ModelName> = ['first', 'last', 'linear', 'position', 'markov', 'shapley']

const help = `Usage: touchpoint report FILE... [options]

The touchpoint report: per touchpoint its touches, journeys reached, roles (introducer = first touch,
assister = middle, closer = last touch), average position, time to conversion, and the credit of every
model side by side with bootstrap intervals and how much the models disagree; journey stages with their
funnel, flow and drop-off; costs, cost per conversion and return on spend; top paths, path lengths and
transitions; first, what to do: the touchpoints to scale up, cut or renegotiate, fix or test, each with
its evidence, listed only when that evidence is beyond noise. FILE is read once, as a stream, exactly as
"touchpoint attribute" reads it (aggregated paths or event-level touches, CSV or JSON lines, plain or
gzip, "-" for stdin).

Options:
  -f, --format FORMAT        html (default) | markdown | json | csv
  -o, --output FILE          write here (whole or not at all) instead of standard output
      --stages FILE          JSON object of channel -> stage (awareness, consideration, decision,
                             purchase, loyalty) or -> {"stage": …, "medium": "online"|"offline"};
                             channels not in it get the default stage (and medium) of their name
      --only-mapped-stages   no default stages: channels not in --stages are "(unmapped)"
      --costs FILE           CSV with channel, cost and optional period columns (rows add up per channel)
      --surveys FILE         CSV of survey responses: touchpoint, score, scale (0-10 for NPS, 1-5 or
                             1-N for CSAT), optional respondent and time: NPS or CSAT per touchpoint
      --experiments FILE     JSON: {"touchpoint": NAME, "result": <touchpoint analyze --json>} or a list
                             of them; the analysis' control is the holdout (touchpoint withheld); a
                             raw-log analysis (--exposures) uses "metric" or its first binomial one
      --after-purchase-window DURATION
                             events: a journey that starts at most this long after the same user's
                             purchase is "after the purchase"; its touchpoints get a repeat
                             conversion rate within the window (observational; default 30d)
  -m, --models LIST          attribution models (default ${DEFAULT_MODELS.join(',')}, and time_decay for events)
      --bootstrap N          bootstrap replicates over journeys, 0 for none (default 200)
      --seed TEXT            bootstrap seed (default "touchpoint")
      --level P              interval level (default 0.95)
      --top N                paths and transitions listed (default 10)
      --flow-steps N         touches the journey flow follows (default 4)
      --path-capacity N      distinct paths counted exactly (default 20000; beyond, a bounded summary)
      --table NAME           csv: touchpoints (default) | stages | paths | transitions | opportunities |
                             actions
      --title TEXT           html and markdown: the title (an error with json or csv, which have none)
      --currency CODE        html and markdown: amounts in this currency (ISO 4217, e.g. EUR, USD)
      --locale TAG           html and markdown: number format (BCP 47, e.g. de-DE; default en-US)
      --workers N|auto       path files: split into N byte ranges reduced in worker threads (as
                             "touchpoint attribute")
  -q, --quiet                no progress on standard error
  -h, --help                 show this help
      --engine NAME          auto (default: stream; DuckDB for Parquet and for events in no order the
                             streaming reader takes) | in-process | duckdb | postgres | clickhouse: the
                             engine builds the journeys, the report is computed from them here; with
                             --url, --query SQL (not --table), --memory-limit, --threads, --temp-directory
                             as for attribute
${INPUT_HELP}
Default stages by channel-name word: display, social, video, outdoor -> awareness; search, reviews, blog,
comparison, affiliate, referral -> consideration; website, chat, sales, retargeting, direct -> decision;
store, checkout, shop -> purchase; email, loyalty, support, surveys, sms -> loyalty (docs/report.md lists all).

Example:
  touchpoint report examples/events.csv --stages examples/stages.json --costs examples/costs.csv -o report.html
`

const options = {
  ...INPUT_OPTIONS,
  // Engines (--engine, --query, --url, ...); the report's own --table below is the CSV table it writes.
  ...ENGINE_OPTIONS,
  format: { type: 'string', short: 'f' },
  output: { type: 'string', short: 'o' },
  stages: { type: 'string' },
  'only-mapped-stages': { type: 'boolean' },
  costs: { type: 'string' },
  surveys: { type: 'string' },
  experiments: { type: 'string' },
  'after-purchase-window': { type: 'string' },
  models: { type: 'string', short: 'm' },
  bootstrap: { type: 'string' },
  seed: { type: 'string' },
  level: { type: 'string' },
  top: { type: 'string' },
  'flow-steps': { type: 'string' },
  'path-capacity': { type: 'string' },
  table: { type: 'string' },
  title: { type: 'string' },
  currency: { type: 'string' },
  locale: { type: 'string' },
  workers: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const

const quiet = (values: { readonly quiet?: boolean | undefined }): boolean => values.quiet === true

const TABLES: ReadonlyArray<CsvTable> = ['touchpoints', 'stages', 'paths', 'transitions', 'opportunities', 'actions']

const run = async (argv: ReadonlyArray<string>, io: Io): Promise<number> => {
  const parsed = commandArgs('report', help, argv, options, io)
  if (typeof parsed === 'number') return parsed
  const { values, positionals } = parsed
  // Where the data lives: the engine builds the journeys, the report reduces them here (src/cli/reportEngine.ts).
  const engine = await engineOrExit('report', values, positionals, io)
  if (typeof engine === 'number') return engine
  if (engine === 'partial') {
    say(io, `touchpoint report: ${REPORT_PARTIAL_NOTE}`)
    return EXIT_USAGE
  }
  let opts: InputSettings | undefined
  let format: 'html' | 'markdown' | 'json' | 'csv'
  let table: CsvTable
  let modelsGiven: ReadonlyArray<ModelName> | undefined
  let replicates: number | undefined
  let level: number | undefined
  let top: number | undefined
  let flowSteps: number | undefined
  let pathCapacity: number | undefined
  let workers: number | 'auto'
  let afterPurchaseWindowMs: number | undefined
  try {
    if (engine === undefined) opts = inputSettings(values, positionals)
    const f = values.format ?? 'html'
    if (f !== 'html' && f !== 'markdown' && f !== 'json' && f !== 'csv') throw new UsageError(`--format: expected html, markdown, json or csv, got ${JSON.stringify(f)}`)
    format = f
    const tb = values.table ?? 'touchpoints'
    if (!(TABLES as ReadonlyArray<string>).includes(tb)) throw new UsageError(`--table: expected one of ${TABLES.join(', ')}, got ${JSON.stringify(tb)}`)
    if (values.table !== undefined && format !== 'csv') throw new UsageError('--table applies to --format csv')
    table = tb as CsvTable
    // Options a format cannot show are errors, not silently dropped.
    for (const k of ['title', 'currency', 'locale'] as const) {
      if (values[k] !== undefined && format !== 'html' && format !== 'markdown') throw new UsageError(`--${k} applies to --format html or markdown (${format} has no ${k === 'title' ? 'title' : 'formatted amounts'})`)
    }
    const styleProblem = numberStyleProblem({ ...(values.currency === undefined ? {} : { currency: values.currency }), ...(values.locale === undefined ? {} : { locale: values.locale }) })
    if (styleProblem !== undefined) throw new UsageError(`--currency/--locale: ${styleProblem} (expected an ISO 4217 code such as EUR and a BCP 47 tag such as de-DE), got ${JSON.stringify(values.currency ?? values.locale)}`)
    modelsGiven = modelsOption(values.models)
    replicates = integerOption('bootstrap', values.bootstrap, 0, 10_000)
    top = integerOption('top', values.top, 1, 1000)
    flowSteps = integerOption('flow-steps', values['flow-steps'], 1, 12)
    pathCapacity = integerOption('path-capacity', values['path-capacity'], 2, 10_000_000)
    afterPurchaseWindowMs = durationOption('after-purchase-window', values['after-purchase-window'])
    if (afterPurchaseWindowMs !== undefined && !(afterPurchaseWindowMs > 0)) throw new UsageError('--after-purchase-window: expected a duration > 0')
    workers = values.workers === undefined || values.workers === 'auto' ? 'auto' : integerOption('workers', values.workers, 1, 256)!
    if (values.level !== undefined) {
      level = Number(values.level)
      if (!(level > 0 && level < 1)) throw new UsageError(`--level: expected a number between 0 and 1 (e.g. 0.95), got ${JSON.stringify(values.level)}`)
    }
  } catch (e) {
    if (e instanceof UsageError) {
      say(io, `touchpoint report: ${e.message}`)
      return EXIT_USAGE
    }
    throw e
  }
  const given = {
    ...(replicates === undefined ? {} : { replicates }),
    ...(values.seed === undefined ? {} : { seed: values.seed }),
    ...(pathCapacity === undefined ? {} : { pathCapacity }),
    ...(flowSteps === undefined ? {} : { flowSteps }),
    ...(afterPurchaseWindowMs === undefined ? {} : { afterPurchaseWindowMs }),
    // Replicate sums only for the models the report will show (by default those of paths and of events).
    bootstrapModels: modelsGiven ?? [...DEFAULT_MODELS, 'time_decay'],
  }
  let rs: ReportSettings | undefined
  if (opts !== undefined) {
    const settingsResult = makeSettings(opts.settingsInput)
    if (E.isLeft(settingsResult)) {
      say(io, `touchpoint report: ${formatError(settingsResult.left)}`)
      return EXIT_USAGE
    }
    const checked = checkReportSettings(reportSettings(settingsResult.right, given))
    if (E.isLeft(checked)) {
      say(io, `touchpoint report: ${formatError(checked.left)}`)
      return EXIT_USAGE
    }
    rs = checked.right
  }

  // Side files first: a typo in --stages should not cost a long read.
  let stages: StageMapping | undefined
  let media: MediumMapping | undefined
  let costs: Costs | undefined
  if (values.stages !== undefined) {
    let text: string
    try {
      text = await readTextFile(values.stages, io)
    } catch (e) {
      say(io, `touchpoint report: ${e instanceof InvalidUtf8 ? e.message : `cannot read ${values.stages}: ${e instanceof Error ? e.message : String(e)}`}`)
      return EXIT_DATA
    }
    const m = decodeStageMappingJson(text)
    if (E.isLeft(m)) {
      say(io, `touchpoint report: ${jsonProblem(values.stages, m.left)}`)
      return EXIT_DATA
    }
    stages = m.right
    // The same JSON, already checked: its object entries may set online/offline.
    const given = E.flatMap(decodeMediumMapping)(parseJson(text))
    if (E.isRight(given) && Object.keys(given.right).length > 0) media = given.right
  }
  if (values.costs !== undefined) {
    let text: string
    try {
      text = await readTextFile(values.costs, io)
    } catch (e) {
      say(io, `touchpoint report: ${e instanceof InvalidUtf8 ? e.message : `cannot read ${values.costs}: ${e instanceof Error ? e.message : String(e)}`}`)
      return EXIT_DATA
    }
    const c = parseCosts(text, values.delimiter === undefined ? {} : { delimiter: values.delimiter })
    if (E.isLeft(c)) {
      say(io, `touchpoint report: ${values.costs}: ${formatError(c.left).split('\n').map((l) => l.replace(/^line (\d+): /, (_, k: string) => `${where(values.costs!, Number(k))}: `)).join('\n')}`)
      return EXIT_DATA
    }
    costs = c.right
  }

  let satisfaction: Readonly<Record<string, Satisfaction>> | undefined
  if (values.surveys !== undefined) {
    let text: string
    try {
      text = await readTextFile(values.surveys, io)
    } catch (e) {
      say(io, `touchpoint report: ${e instanceof InvalidUtf8 ? e.message : `cannot read ${values.surveys}: ${e instanceof Error ? e.message : String(e)}`}`)
      return EXIT_DATA
    }
    const s = parseSurveys(text, { ...(values.delimiter === undefined ? {} : { delimiter: values.delimiter }), ...(level === undefined ? {} : { level }) })
    if (E.isLeft(s)) {
      say(io, `touchpoint report: ${jsonProblem(values.surveys, s.left)}`)
      return EXIT_DATA
    }
    satisfaction = s.right
  }
  let experiments: ReadonlyArray<TouchpointExperiment> | undefined
  if (values.experiments !== undefined) {
    let text: string
    try {
      text = await readTextFile(values.experiments, io)
    } catch (e) {
      say(io, `touchpoint report: ${e instanceof InvalidUtf8 ? e.message : `cannot read ${values.experiments}: ${e instanceof Error ? e.message : String(e)}`}`)
      return EXIT_DATA
    }
    const x = E.flatMap(parseTouchpointExperiments)(parseJson(text))
    if (E.isLeft(x)) {
      say(io, `touchpoint report: ${jsonProblem(values.experiments, locateExperimentIssues(text)(x.left))}`)
      return EXIT_DATA
    }
    experiments = x.right
  }

  const unwritable = await checkOutput('report', values.output, io)
  if (unwritable !== undefined) return unwritable
  const modelsFor = (kind: InputKind): ReadonlyArray<ModelName> =>
    modelsGiven ?? (kind === 'events' ? [...DEFAULT_MODELS.slice(0, 4), 'time_decay', ...DEFAULT_MODELS.slice(4)] : DEFAULT_MODELS)
  let partial: ReportPartial
  let models: ReadonlyArray<ModelName>
  let note: string | undefined
  if (engine !== undefined) {
    const read = await reduceReportWithEngine(engine, values, positionals, given, modelsFor, io)
    if (!read.ok) return read.exit
    partial = read.partial
    models = modelsFor(read.kind)
    if (!quiet(values)) note = `touchpoint report: journeys built by ${read.describe}, the report computed from them here`
  } else {
    const read = await readForCommand('report', io, opts!, positionals, { _tag: 'touchpoint', settings: rs! }, modelsFor, workers, handsOver(values))
    if (read.ok) {
      partial = read.partial
      models = modelsFor(read.tally.kind!)
      note = readNotes('report', read.names, read.tally)
    } else {
      if (read.outOfOrder === undefined) return read.exit
      let handed: Awaited<ReturnType<typeof reduceReportWithEngine>> | undefined
      const exit = await handOverToDuckDb('report', read.outOfOrder, values, io, async () => {
        handed = await reduceReportWithEngine('duckdb', values, positionals, given, modelsFor, io)
        return handed.ok ? EXIT_OK : handed.exit
      })
      if (handed === undefined || !handed.ok) return exit
      partial = handed.partial
      models = modelsFor(handed.kind)
    }
  }

  const report = buildReport({
    models,
    ...(stages === undefined ? {} : { stages }),
    ...(media === undefined ? {} : { media }),
    ...(values['only-mapped-stages'] === true ? { defaultStages: false } : {}),
    ...(costs === undefined ? {} : { costs }),
    ...(satisfaction === undefined ? {} : { satisfaction }),
    ...(experiments === undefined ? {} : { experiments }),
    ...(level === undefined ? {} : { level }),
    ...(top === undefined ? {} : { top }),
  })(partial)
  if (E.isLeft(report)) {
    say(io, `touchpoint report: ${formatError(report.left)}\nNothing was written.`)
    return EXIT_DATA
  }
  const built = report.right
  const display = {
    ...(values.title === undefined ? {} : { title: values.title }),
    ...(values.currency === undefined ? {} : { currency: values.currency }),
    ...(values.locale === undefined ? {} : { locale: values.locale }),
  }
  const text =
    format === 'html'
      ? formatReportHtml(built, display)
      : format === 'markdown'
        ? formatReportMarkdown(built, display)
        : format === 'json'
          ? formatReportJson(built)
          : formatReportCsv(table)(built)
  const written = await writeOutput('report', values.output, io, text)
  if (written !== EXIT_OK) return written
  if (note !== undefined) say(io, note)
  if (!quiet(values) && values.output !== undefined && values.output !== '-') {
    const t = built.totals
    say(io, `touchpoint report: wrote ${values.output} (${format}, ${Math.ceil(Buffer.byteLength(text) / 1024)} KB): ${t.channels} touchpoints, ${Math.round(t.journeys).toLocaleString('en-US')} journeys, ${built.bootstrap.used} bootstrap replicates`)
  }
  return EXIT_OK
}

export const reportCommand: Command = { name: 'report', summary: 'touchpoint report: what to do, roles, stages, costs, paths, model credits (HTML, Markdown, JSON, CSV)', help, run }
