/**
 * Plausible arguments for experiment analysis from logs: touchpoint/experiments (rows, reducer, finisher, analysis,
 * reports), the experiment sums where the data lives (touchpoint/sql's decoder, touchpoint/engines' planner and
 * runner) and the engines' connections (openPostgres, openClickHouse).
 *
 * Trusted values (decoded `Metrics`, layouts, per-arm sums, statistics, results, reports) are made once per worker
 * by the library under test from a small log, then passed as they are, broken one field at a time, or confused
 * with the raw input a caller might pass by mistake (a metrics file instead of decoded metrics).
 *
 * Connections go only to loopback servers this worker starts (a fake ClickHouse HTTP interface, a TCP server that
 * answers garbage, one that hangs up) or to a closed port: every attempt settles at once, none waits for a timeout.
 */
import fc from 'fast-check'
import { createServer as createHttpServer } from 'node:http'
import { createServer as createTcpServer, type AddressInfo, type Server } from 'node:net'
import { arbBinomialArm, arbContinuousArm, arbCupedArm, arbRatioArm, type Lib } from './fixtures'
import type { Spec } from './plausible'
import { args, junk, optional, plausible, trusted } from './values'
import { arbSource, METRICS_INPUT, right } from './warehouse'

/** Loopback servers an engine's connection may reach (ports), started by the worker before the calls. */
export interface FakeServers {
  /** Answers like ClickHouse's HTTP interface: 200 with the rows for `/`, 500 with a message for `/fail`. */
  readonly clickhouse: number
  /** Accepts a connection and writes bytes no database protocol expects, then hangs up. */
  readonly garbage: number
  /** Accepts a connection and closes it at once. */
  readonly closing: number
}

const listen = (server: Server | ReturnType<typeof createHttpServer>): Promise<number> =>
  new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port))
  })

/** The servers of `FakeServers`; they live as long as the worker. */
export const startFakeServers = async (): Promise<FakeServers> => {
  const clickhouse = createHttpServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (req.url?.startsWith('/fail') === true) return void res.writeHead(500).end('Code: 516. DB::Exception: default: Authentication failed: password is incorrect')
      res.writeHead(200, { 'content-type': 'text/plain' }).end('1\n')
    })
  })
  const garbage = createTcpServer((socket) => {
    socket.on('error', () => undefined)
    socket.end('HTTP/1.1 400 Bad Request\r\n\r\n\u0000\u00ff')
  })
  const closing = createTcpServer((socket) => {
    socket.on('error', () => undefined)
    socket.destroy()
  })
  for (const s of [clickhouse, garbage, closing]) s.unref()
  return { clickhouse: await listen(clickhouse), garbage: await listen(garbage), closing: await listen(closing) }
}

const EXPERIMENTS = ['checkout', 'hero 東京', "it's"] as const
const VARIANTS = ['control', 'green', 'blue'] as const
const DAY = 86_400_000
const T0 = Date.UTC(2026, 0, 1)

/** A small pair of logs as decoded rows: three experiments, units in one or two variants, purchases and refunds. */
const exposureRows = Array.from({ length: 60 }, (_, i) => ({
  unit: i % 7 === 0 ? `u${i}-😀` : `u${i}`,
  experiment: EXPERIMENTS[i % 3]!,
  variant: VARIANTS[Math.floor(i / 3) % 3]!,
  time: T0 + (i % 5) * 3_600_000,
  dimension: i % 4 === 0 ? 'DE' : 'US',
}))
// Some units seen again: later in another variant (left out), or at the same instant in another country (mixed).
const repeatRows = [
  { ...exposureRows[1]!, variant: VARIANTS[0], time: exposureRows[1]!.time + DAY },
  { ...exposureRows[2]!, dimension: 'FR' },
]
const eventRows = Array.from({ length: 120 }, (_, i) => ({
  unit: exposureRows[i % 60]!.unit,
  time: T0 + ((i * 37) % 400) * 3_600_000 - 5 * DAY,
  event: i % 5 === 0 ? 'refund' : 'purchase',
  values: [(i * 13) % 200],
}))

/**
 * `own`: the module of the entry being called. touchpoint/experiments has an `eventLayout` of its own (the attribution
 * reader's, in `lib`, has the same name): its spec, and decodeEvent's layouts, are made with the entry's.
 */
/**
 * Arguments all valid, or with exactly one broken (`plausible`: a field replaced, deleted, junk): with three
 * arguments each broken on its own, almost no call gets past the first check.
 */
const oneBroken = (...params: ReadonlyArray<fc.Arbitrary<unknown> | { readonly valid: fc.Arbitrary<unknown>; readonly broken: fc.Arbitrary<unknown> }>): fc.Arbitrary<ReadonlyArray<unknown>> => {
  // A parameter may say how it is broken (options holding a trusted value: the options' fields, not the value).
  const valid = params.map((p) => ('valid' in p ? p.valid : p))
  const broken = params.map((p) => ('broken' in p ? p.broken : plausible(p)))
  return fc.oneof(
    { weight: 2, arbitrary: fc.tuple(...valid) },
    { weight: 6, arbitrary: fc.nat(params.length - 1).chain((b) => fc.tuple(...valid.map((v, i) => (i === b ? broken[i]! : v)))) },
  )
}

export const logSpecs = (lib: Lib, own: Lib | undefined, servers: FakeServers): Record<string, Spec> => {
  const metricsList = METRICS_INPUT.map((m, i) => right(lib.decodeMetrics(m), `metrics ${i}`) as { readonly eventMetrics: ReadonlyArray<{ readonly cupedMs?: number }>; readonly ratios: ReadonlyArray<unknown>; readonly valueColumns: ReadonlyArray<string> })
  // The metrics with a cap, CUPED and a ratio come most often: the other arguments are made to fit them.
  const rich = metricsList[1]!
  const arbMetrics = fc.oneof({ weight: 6, arbitrary: fc.constant(rich) }, { weight: 2, arbitrary: fc.constantFrom(...metricsList) }, { weight: 1, arbitrary: fc.constantFrom(...METRICS_INPUT) }, { weight: 1, arbitrary: junk })

  // -- trusted values, made by the library from the logs above ------------------------------------------------------
  const reduce = (metrics: unknown, settings: Record<string, unknown>) => {
    const exposures = right(lib.logReducer({ metrics, ...settings }), 'log reducer') as { push: (r: unknown) => void; done: () => { push: (r: unknown) => void; done: () => { readonly rows: ReadonlyArray<unknown> } } }
    for (const r of [...exposureRows, ...repeatRows]) exposures.push(r)
    const events = exposures.done()
    for (const r of eventRows) events.push(r)
    return events.done()
  }
  const sums = metricsList.flatMap((m) => [reduce(m, {}), reduce(m, { dimension: true }), reduce(m, { experiment: 'checkout', asOf: T0 + 3 * DAY })])
  const richRows = [sums[3]!.rows, sums[4]!.rows, sums[5]!.rows]
  const statistics = [
    right(lib.toStatistics(rich)(richRows[0]), 'statistics'),
    right(lib.toStatistics(rich, { dimension: 'country' })(richRows[1]), 'statistics by country'),
    right(lib.toStatistics(metricsList[0], { control: 'green' })(sums[0]!.rows), 'statistics, control named'),
  ] as ReadonlyArray<ReadonlyArray<unknown>>
  const results = [
    right(lib.analyzeStatistics(rich)(statistics[0]), 'results'),
    right(lib.analyzeStatistics(rich, { correction: 'bonferroni', sequential: true, cuped: true })(statistics[1]), 'results, sequential'),
    right(lib.analyzeStatistics(metricsList[0], { correction: 'none', type: 'absolute', level: 0.9 })(statistics[2]), 'results, absolute'),
  ] as ReadonlyArray<ReadonlyArray<unknown>>
  const reports = [right(lib.buildReports()(results[0]), 'reports'), right(lib.buildReports({ correction: 'bonferroni', srmThreshold: 0.01 })(results[1]), 'reports by country'), right(lib.buildReports({ level: 0.9, correction: 'none' })(results[2]), 'reports, absolute')]

  // -- per-arm sums as engines answer them, nearly valid --------------------------------------------------------------
  const number = fc.oneof({ weight: 6, arbitrary: fc.integer({ min: 0, max: 1_000_000 }) }, { weight: 1, arbitrary: fc.constantFrom(0, -0, 0.5, 1e300, 2 ** 53 + 2, Number.MAX_VALUE, Number.MIN_VALUE) })
  const metricSums = (cuped: boolean) =>
    fc.record({ sum: number, sumSquares: number, ...(cuped ? { covariate: fc.record({ sum: number, sumSquares: number, productSum: number }) } : {}) })
  const armSums = (metrics: (typeof metricsList)[number]) =>
    fc.record(
      {
        experiment: fc.constantFrom(...EXPERIMENTS, ''),
        variant: fc.oneof({ weight: 5, arbitrary: fc.constantFrom(...VARIANTS, 'Zoë') }, { weight: 1, arbitrary: fc.constant(null) }),
        dimension: fc.constantFrom('DE', 'US', null),
        units: number,
        metrics: fc.tuple(...metrics.eventMetrics.map((m) => metricSums(m.cupedMs !== undefined))),
        ratioProducts: fc.tuple(...metrics.ratios.map(() => number)),
      },
      { requiredKeys: ['experiment', 'variant', 'units', 'metrics', 'ratioProducts'] },
    )
  const arbRows = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...richRows) }, { weight: 3, arbitrary: fc.array(armSums(rich), { maxLength: 8 }) }, { weight: 1, arbitrary: fc.constantFrom(...sums.map((s) => s.rows)) })
  const designs = fc.record(
    { checkout: fc.constantFrom([{ variant: 'control', weight: 1 }, { variant: 'green', weight: 1 }, { variant: 'blue', weight: 2 }], [{ variant: 'green', weight: 0 }, { variant: 'control', weight: 1e300 }], [{ variant: 'control', weight: 1 }]) },
    { requiredKeys: [] },
  )
  const statisticsOptions = fc.record({ designs, control: fc.constantFrom('control', 'green', 'nope', ''), dimension: fc.constantFrom('country', '') }, { requiredKeys: [] })

  // -- statistics as toStatistics makes them, and as a caller might write them ---------------------------------------
  const named = (name: string, arm: fc.Arbitrary<object>) => fc.tuple(arm, fc.option(fc.constantFrom(0, 1, 2.5), { nil: undefined })).map(([a, weight]) => ({ name, ...a, ...(weight === undefined ? {} : { weight }) }))
  const arbStatistic = fc.oneof(fc.constantFrom('binomial', 'continuous', 'cuped', 'ratio'), fc.constant('binomial')).chain((kind) => {
    const arm = kind === 'binomial' ? arbBinomialArm : kind === 'continuous' ? arbContinuousArm : kind === 'cuped' ? arbCupedArm : arbRatioArm
    const metric = kind === 'binomial' ? 'purchased' : kind === 'ratio' ? 'revenue_per_order' : fc.constantFrom('revenue', 'orders')
    return fc.record(
      {
        experiment: fc.constantFrom(...EXPERIMENTS),
        metric: typeof metric === 'string' ? fc.constant(metric) : metric,
        dimension: fc.record({ name: fc.constant('country'), value: fc.constantFrom('DE', null) }),
        control: fc.constantFrom('control', 'control', 'green'),
        arms: fc.tuple(named('control', arm), named('green', arm), named('blue', arm)).chain((arms) => fc.integer({ min: 1, max: 3 }).map((n) => arms.slice(0, n))),
        multipleExposures: fc.nat(50),
      },
      { requiredKeys: ['experiment', 'metric', 'control', 'arms', 'multipleExposures'] },
    )
  })
  const arbStatistics = fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...statistics) }, { weight: 3, arbitrary: fc.array(arbStatistic, { maxLength: 5 }) })
  // Statistics made for the first metrics (binomial "purchased") fit them; every metric name fits the rich ones.
  const metricsForStatistics = fc.oneof({ weight: 6, arbitrary: fc.constant(right(lib.decodeMetrics({ metrics: [...METRICS_INPUT[0]!.metrics, ...METRICS_INPUT[1]!.metrics] }), 'all metrics')) }, { weight: 2, arbitrary: arbMetrics })
  const analysisOptions = fc.record(
    {
      level: fc.constantFrom(0.9, 0.95, 0.999999, 1, 0),
      type: fc.constantFrom('relative', 'absolute'),
      correction: fc.constantFrom('none', 'bonferroni', 'holm', 'benjamini-hochberg'),
      sequential: fc.boolean(),
      tuning: fc.constantFrom(1, 100, 1e9),
      prior: fc.constant({ alpha: 1, beta: 1 }),
      srmThreshold: fc.constantFrom(0.001, 0.05),
      cuped: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  const reportOptions = fc.record({ correction: fc.constantFrom('holm', 'bonferroni', 'none', 'sidak'), level: fc.constantFrom(0.95, 0.9), srmThreshold: fc.constantFrom(0.001, 0.5) }, { requiredKeys: [] })

  // -- the event log's layout (touchpoint/experiments' own eventLayout, not the attribution reader's) ----------------
  const eventNames = [['unit_id', 'timestamp', 'event', 'value'], ['unitId', 'time', 'event', 'value', 'country'], ['unit_id', 'timestamp', 'event']]
  const eventLayouts =
    own?.['decodeEvent'] === undefined
      ? []
      : eventNames.flatMap((names) => metricsList.flatMap((m) => {
          const l = own['eventLayout'](names, own['DEFAULT_EVENT_COLUMNS'], m) as { readonly layout?: unknown }
          return l.layout === undefined ? [] : [[l.layout, m] as const]
        }))
  const cells = plausible(
    fc.constantFrom<unknown>(
      ['u1', '2026-01-01T00:00:00Z', 'purchase', '12.5'],
      ['u2', '1767225600000', 'refund', ''],
      ['u3', '1767225600', 'purchase', 'NaN'],
      ['', '', '', ''],
      ['😀', '+275760-09-13T00:00:00Z', 'purchase', '1e400'],
      { unit_id: 'u1', timestamp: 1767225600000, event: 'purchase', value: 3 },
      { unitId: 7, time: '2026-01-01', event: 'purchase', value: '-0' },
      { unit_id: 'u1', timestamp: 1e300, event: 1, value: null },
    ),
  )
  const line = plausible(fc.integer({ min: 1, max: 1_000_000 }))

  // -- the engines: a driver as a caller writes one, answering like the experiment-sums query ------------------------
  const sumsRow = (metrics: (typeof metricsList)[number], cell: fc.Arbitrary<unknown>) =>
    fc.record({
      experiment: fc.constantFrom('checkout', null, ''),
      multiple: fc.constantFrom(0, 1, '0'),
      variant: fc.constantFrom('control', 'green'),
      units: cell,
      invalid_exposures: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 2),
      missing_values: fc.constantFrom(0, 0, 0, 0, 0, 0, 0, 1n),
      mixed: fc.constantFrom(0, 1),
      dimension: fc.constantFrom('DE', 'US'),
      first_exposure: cell,
      last_exposure: cell,
      last_event: cell,
      ...Object.fromEntries(
        metrics.eventMetrics.flatMap((_, i) => [`m${i}_sum`, `m${i}_sum_squares`, `m${i}_covariate_sum`, `m${i}_covariate_sum_squares`, `m${i}_product_sum`, `m${i}_cap`, `m${i}_covariate_cap`].map((k) => [k, cell] as const)),
      ),
      ...Object.fromEntries(metrics.ratios.map((_, j) => [`r${j}_product_sum`, cell] as const)),
    })
  // Numbers as engines send them: numbers, numeric text (PostgreSQL NUMERIC), bigints (DuckDB HUGEINT), and beyond.
  const goodCell = fc.oneof({ weight: 8, arbitrary: fc.nat(10_000) }, { weight: 2, arbitrary: fc.nat(10_000).map(String) }, { weight: 2, arbitrary: fc.bigInt({ min: 0n, max: 10n ** 6n }) })
  const oddCell = fc.oneof({ weight: 12, arbitrary: goodCell }, { weight: 1, arbitrary: fc.constantFrom<unknown>('NaN', 'Infinity', '', null, 10n ** 400n, -(10n ** 400n), 1e308, '1e309', -0) })
  // Mostly what an engine answers; one batch in three with odd cells (text that is no number, bigints beyond doubles).
  const arbSumsRows = (metrics: (typeof metricsList)[number]) =>
    fc.oneof(
      { weight: 4, arbitrary: fc.array(sumsRow(metrics, goodCell), { minLength: 1, maxLength: 4 }) },
      { weight: 2, arbitrary: fc.array(sumsRow(metrics, oddCell), { maxLength: 4 }) },
      // DuckDB's HUGEINT sums (bigints), one beyond the doubles.
      { weight: 1, arbitrary: fc.array(sumsRow(metrics, goodCell), { minLength: 1, maxLength: 4 }).map((rows) => rows.map((r) => ({ ...r, units: 10n ** 400n }))) },
    )
  const exposureColumns = [
    { name: 'unit_id', type: 'VARCHAR' },
    { name: 'experiment', type: 'VARCHAR' },
    { name: 'variant', type: 'VARCHAR' },
    { name: 'timestamp', type: 'TIMESTAMP WITH TIME ZONE' },
    { name: 'country', type: 'VARCHAR' },
  ]
  const eventColumns = [
    { name: 'unit_id', type: 'VARCHAR' },
    { name: 'timestamp', type: 'BIGINT' },
    { name: 'event', type: 'VARCHAR' },
    { name: 'value', type: 'DOUBLE' },
  ]
  const logColumns = [...exposureColumns, ...eventColumns.filter((c) => !exposureColumns.some((x) => x.name === c.name))]
  const experimentDriver = fc
    .tuple(fc.constantFrom('duckdb', 'postgres', 'clickhouse'), fc.constantFrom<'sums' | 'throws' | 'text times' | 'junk' | 'hugeint'>('sums', 'sums', 'sums', 'throws', 'text times', 'junk', 'hugeint'), arbSumsRows(rich))
    .map(([dialect, answer, rows]) => ({
      dialect,
      describe: `a driver of the caller's (${answer})`,
      async *rows(sql: string) {
        if (answer === 'throws') throw new Error("the caller's driver failed")
        if (sql.includes('current_setting')) yield [{ v: '' }]
        else if (sql.startsWith('SET ')) yield []
        // hugeint: DuckDB answers SUM over BIGINT as HUGEINT (a bigint), here one beyond the doubles.
        else yield answer === 'junk' ? [{ experiment: 1 }, null, 'x'] : answer === 'hugeint' ? rows.map((r) => ({ ...r, units: 10n ** 400n })) : rows
      },
      columns: async (sql: string) => {
        if (answer === 'throws') throw new TypeError('no columns here')
        // One table holding both logs' columns (a wide events table), so either source has what it needs.
        void sql
        if (answer === 'text times') return logColumns.map((c) => (c.name === 'timestamp' ? { ...c, type: 'VARCHAR' } : c))
        return logColumns
      },
      close: async () => undefined,
    }))
  const experimentSources = fc.record({
    exposures: fc.oneof({ weight: 3, arbitrary: fc.constantFrom({ _tag: 'table', name: 'exposures' }, { _tag: 'table', name: 'analytics.exposures 2026' }, { _tag: 'query', sql: "SELECT * FROM read_csv('exposures.csv')" }) }, { weight: 1, arbitrary: arbSource }),
    events: fc.oneof({ weight: 3, arbitrary: fc.constant({ _tag: 'table', name: 'events' }) }, { weight: 1, arbitrary: arbSource }),
  })
  // The options broken one field at a time; the decoded metrics in them are trusted (passed whole, junk or raw).
  const engineOptionFields = fc.record(
    {
      // Mostly columns the driver's sources have; sometimes names they do not (the Left names the option).
      exposureColumns: fc.constantFrom({ unit: 'unit_id', experiment: 'experiment', variant: 'variant', time: 'timestamp' }, { unit: 'unit_id', experiment: 'experiment', variant: 'variant', time: 'timestamp' }, { unit: 'unit_id', experiment: 'experiment', variant: 'variant', dimension: 'country' }, { unit: 'unitId', experiment: 'experiment', variant: 'arm' }),
      eventColumns: fc.constantFrom({ unit: 'unit_id', time: 'timestamp', event: 'event' }, { unit: 'unit_id', time: 'timestamp', event: 'event' }, { unit: 'unit_id', time: 'timestamp', event: 'event' }, { unit: 'user', time: 'at', event: 'event' }),
      timeUnit: fc.constantFrom('s', 'ms', 'us', 'ns'),
      experiment: fc.constantFrom('checkout', "it's"),
      asOf: fc.constantFrom(0, T0, 8.64e15),
    },
    { requiredKeys: ['exposureColumns', 'eventColumns'] },
  )
  const withMetrics = (fields: fc.Arbitrary<unknown>) => fc.tuple(arbMetrics, fields).map(([metrics, o]) => (o !== null && typeof o === 'object' && !Array.isArray(o) ? { metrics, ...o } : o))
  const engineOptions = { valid: withMetrics(engineOptionFields), broken: withMetrics(plausible(engineOptionFields)) }

  // -- connections: loopback only ---------------------------------------------------------------------------------
  const clickhouseUrl = fc.constantFrom(
    `http://default:s3cret@127.0.0.1:${servers.clickhouse}/?database=analytics`,
    `http://default:p%40ss@127.0.0.1:${servers.clickhouse}/fail`,
    `http://127.0.0.1:${servers.garbage}/`,
    `http://u:p@127.0.0.1:${servers.closing}/`,
    'http://default:s3cret@127.0.0.1:9/',
    'https://127.0.0.1:9/',
    'http://[::1]:9/',
    'ftp://127.0.0.1/',
    'http://user:%E0%A4%A@127.0.0.1:9/',
  )
  const postgresUrl = fc.constantFrom(
    `postgres://analyst:s3cret@127.0.0.1:${servers.garbage}/warehouse`,
    `postgresql://analyst@127.0.0.1:${servers.closing}/warehouse?sslmode=disable`,
    'postgres://analyst:s3cret@127.0.0.1:9/warehouse',
    `postgres://127.0.0.1:${servers.clickhouse}/x`,
    'postgres://a:%zz@127.0.0.1:9/x',
    'mysql://127.0.0.1:9/x',
  )
  const connectTimeoutMs = fc.constantFrom(1, 300, 1000)

  return {
    // -- touchpoint/experiments -------------------------------------------------------------------------------------
    logReducer: {
      args: args(plausible(fc.record({ metrics: arbMetrics, experiment: fc.constantFrom('checkout', '', '__proto__'), asOf: fc.constantFrom(0, -0, T0, 8.64e15, Number.MAX_VALUE), dimension: fc.boolean() }, { requiredKeys: ['metrics'] }))),
      // push takes decoded rows (documented: it checks nothing, once per row): valid ones only.
      methods: { push: args(fc.constantFrom(...exposureRows, ...repeatRows)), done: args() },
    },
    experimentArms: { args: args(optional(statisticsOptions)), then: [args(plausible(arbRows))] },
    toStatistics: { args: args(arbMetrics, optional(statisticsOptions)), then: [args(plausible(arbRows))] },
    experimentData: { args: args(plausible(fc.oneof(fc.constantFrom(...statistics.flat()), arbStatistic))) },
    analyzeStatistics: { args: args(metricsForStatistics, optional(analysisOptions)), then: [args(plausible(arbStatistics))] },
    buildReports: { args: args(optional(reportOptions)), then: [args(trusted(results, statistics))] },
    formatReports: { args: args(plausible(fc.constantFrom('text', 'markdown'))), then: [args(trusted(reports, results))] },
    ...(own?.['decodeEvent'] === undefined
      ? {}
      : {
          decodeEvent: {
            args: fc.oneof(
              { weight: 4, arbitrary: fc.tuple(fc.constantFrom(...eventLayouts), fc.constantFrom('s', 'ms', 'us', 'ns')).map(([[layout, metrics], unit]) => [layout, metrics, unit]) },
              { weight: 2, arbitrary: args(plausible(fc.constantFrom(...eventLayouts.map(([l]) => l))), arbMetrics, plausible(fc.constantFrom('s', 'ms'))) },
            ),
            then: [args(cells, line)],
          },
          eventLayout: {
            args: args(
              plausible(fc.constantFrom(...eventNames)),
              plausible(fc.constantFrom(own['DEFAULT_EVENT_COLUMNS'], { unit: 'unitId', time: 'time', event: 'event' })),
              arbMetrics,
              optional(fc.record({ unit: fc.boolean(), time: fc.boolean(), event: fc.boolean() }, { requiredKeys: [] })),
              optional(fc.record({ checkValues: fc.boolean() })),
            ),
          },
        }),

    // -- touchpoint/sql and touchpoint/engines: the experiment sums where the data lives ----------------------------
    // Options null: a plain-JavaScript caller's "no options" (not undefined, so no default applies).
    decodeExperimentSums: { args: args(arbMetrics, fc.oneof({ weight: 5, arbitrary: optional(fc.record({ dimension: fc.boolean() })) }, { weight: 1, arbitrary: fc.constant(null) })), then: [args(plausible(arbSumsRows(rich)))] },
    planExperimentQuery: { args: oneBroken(experimentDriver, experimentSources, engineOptions) },
    experimentSumsWithDriver: { args: oneBroken(experimentDriver, experimentSources, engineOptions) },
    openClickHouse: { args: args(plausible(fc.record({ url: clickhouseUrl, connectTimeoutMs }, { requiredKeys: ['url'] }))) },
    openPostgres: { args: args(optional(fc.record({ url: postgresUrl, connectTimeoutMs }, { requiredKeys: [] }))) },
  }
}
