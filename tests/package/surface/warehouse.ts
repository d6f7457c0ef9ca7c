/**
 * Plausible arguments for the entries that arrived after the surface suite: touchpoint/sql (the compilers and
 * their checks), touchpoint/engines (file formats, plans, drivers) and touchpoint/experiments (metrics, rows,
 * quantiles). Valid-looking settings with one thing broken, as for openDuckDb, so the fuzz reaches past the
 * first guard.
 *
 * Drivers: the engines take a `SqlDriver`, which a caller may write (it is an interface). The suite passes
 * drivers of its own, written as a plain-JavaScript caller would: one that answers a saved attribution result
 * to every query, one whose rows reject with a plain Error (not the engines' DriverError), one that answers rows
 * of the wrong shape. None starts a database, so thousands of calls stay cheap; openDuckDb starts the real one.
 */
import fc from 'fast-check'
import { arbModels, type Fixtures, type Lib } from './fixtures'
import { args, optional, plausible } from './values'
import type { Spec } from './plausible'

const DIALECT_NAMES = ['duckdb', 'postgres', 'clickhouse', 'bigquery', 'snowflake', 'databricks', 'trino', 'redshift'] as const

export const arbSource = fc.oneof(
  fc.record({ _tag: fc.constant('table'), name: fc.constantFrom('events', 'analytics.paths', 'project.dataset.events', 'Events 2024', 'a"b') }),
  fc.record({ _tag: fc.constant('query'), sql: fc.constantFrom("SELECT * FROM read_csv('paths.csv')", 'SELECT 1 AS path', 'SELECT * FROM t WHERE x = \'--\'') }),
)

const arbPaths = fc.record(
  {
    _tag: fc.constant('paths'),
    path: fc.constantFrom('path', 'Path Column', 'p"q'),
    conversions: fc.constant('total_conversions'),
    value: fc.constant('total_conversion_value'),
    nulls: fc.constant('total_null'),
    separator: fc.constantFrom('>', ' > ', '|', "'", '%'),
  },
  { requiredKeys: ['_tag', 'path', 'conversions', 'separator'] },
)

export const arbTime = fc.oneof(fc.constant({ _tag: 'timestamp' }), fc.record({ _tag: fc.constant('epoch'), unit: fc.constantFrom('s', 'ms', 'us', 'ns') }))

const arbEvents = fc.record(
  {
    _tag: fc.constant('events'),
    user: fc.constantFrom('user_id', 'user pseudo id'),
    time: fc.constantFrom('timestamp', 'event_timestamp'),
    channel: fc.constant('channel'),
    conversion: fc.constant('conversion'),
    value: fc.constant('conversion_value'),
    timeType: arbTime,
    conversionTime: fc.constant('converted_at'),
    conversionEvents: fc.record({ column: fc.constant('event_name'), names: fc.constantFrom(['purchase'], ['purchase', "it's"], []) }),
    orderColumn: fc.constant('seq'),
    lookbackMs: fc.constantFrom(0, 1, 3_600_000, 30 * 86_400_000, 1e15),
  },
  { requiredKeys: ['_tag', 'user', 'time', 'channel', 'conversion', 'timeType'] },
)

const arbPosition = fc.constantFrom({ first: 0.4, middle: 0.2, last: 0.4 }, { first: 0, middle: 1, last: 0 }, { first: 0.5, middle: 0, last: 0.5 })

const arbAttributionQuery = fc.record({
  source: arbSource,
  input: fc.oneof(arbPaths, arbEvents),
  models: arbModels,
  order: fc.integer({ min: 1, max: 4 }),
  position: arbPosition,
  halfLifeMs: fc.constantFrom(1, 86_400_000, 7 * 86_400_000),
  direct: fc.constantFrom([], ['direct'], ['direct', "o'brien"]),
})

/** Metrics files as a caller writes them: decoded by the specs that take `Metrics` (warehouse.ts, logs.ts). */
export const METRICS_INPUT = [
  { metrics: [{ name: 'purchased', kind: 'binomial', events: ['purchase'], window: '7d' }] },
  {
    metrics: [
      { name: 'revenue', kind: 'sum', events: ['purchase'], value: 'value', window: '7d', cap: { quantile: 0.99 }, cuped: { days: 14 } },
      { name: 'orders', kind: 'count', events: ['purchase'], cap: { value: 10 }, delay: '1h' },
      { name: 'revenue_per_order', kind: 'ratio', numerator: 'revenue', denominator: 'orders' },
    ],
  },
  { metrics: [{ name: 'orders', kind: 'count', events: ['purchase', 'refund'], guardrail: true, direction: 'decrease' }] },
]

export const right = (e: { readonly _tag: string; readonly right?: unknown; readonly left?: unknown }, what: string): unknown => {
  if (e._tag !== 'Right') throw new Error(`surface fixture ${what}: ${JSON.stringify(e.left)}`)
  return e.right
}

/** A settings row and a few partial rows, as `touchpoint sql attribute` answers them (strings where a CSV has them). */
const RESULT_ROWS = [
  { section: 'settings', channels: JSON.stringify({ format: 1, input: 'paths', models: ['first', 'markov'], order: 1, position: { first: 0.4, middle: 0.2, last: 0.4 }, halfLifeMs: 604800000, direct: ['direct'] }) },
  { section: 'channel', channels: 'b', first_conversions: '1', first_value: '10', rows: 1, journeys: 1, conversions: 1, value: 10 },
  { section: 'start', channels: 'b', conversions: 1, nulls: 0 },
  { section: 'edge', channels: 'b>a', conversions: 1, nulls: 0 },
  { section: 'exit', channels: 'a', conversions: 1, value: 10, nulls: 0 },
]

const PATH_COLUMNS = [
  { name: 'path', type: 'VARCHAR' },
  { name: 'total_conversions', type: 'BIGINT' },
  { name: 'total_conversion_value', type: 'DOUBLE' },
  { name: 'total_null', type: 'BIGINT' },
]
const EVENT_COLUMNS = [
  { name: 'user_id', type: 'VARCHAR' },
  { name: 'timestamp', type: 'TIMESTAMP WITH TIME ZONE' },
  { name: 'channel', type: 'VARCHAR' },
  { name: 'conversion', type: 'INTEGER' },
  { name: 'conversion_value', type: 'DOUBLE' },
]

/** A driver as a caller writes one: `rows` yields batches, `columns` names the source's columns. */
const fakeDriver = (dialect: string, answer: 'result' | 'throws' | 'junk', columns: ReadonlyArray<unknown>) => ({
  dialect,
  describe: `a driver of the caller's (${answer})`,
  async *rows(_sql: string) {
    if (answer === 'throws') throw new Error('the caller\'s driver failed')
    yield answer === 'result' ? RESULT_ROWS : [{ section: 1 }, null, 'x']
  },
  columns: async () => {
    if (answer === 'throws') throw new TypeError('no columns here')
    return columns
  },
  close: async () => undefined,
})

const arbDriver = fc
  .tuple(fc.constantFrom('duckdb', 'postgres', 'clickhouse'), fc.constantFrom<'result' | 'throws' | 'junk'>('result', 'result', 'throws', 'junk'), fc.constantFrom<ReadonlyArray<unknown>>(PATH_COLUMNS, EVENT_COLUMNS, [], [{ name: 1 }]))
  .map(([d, a, c]) => fakeDriver(d, a, c))

const arbColumnInfo = fc.constantFrom(
  PATH_COLUMNS.map((c) => ({ name: c.name, type: c.type === 'VARCHAR' ? 'text' : 'number' })),
  EVENT_COLUMNS.map((c) => ({ name: c.name, type: c.type === 'VARCHAR' ? 'text' : c.name === 'timestamp' ? 'timestamp' : 'number' })),
  [{ name: 'path', type: 'list' }, { name: 'total_conversions', type: 'other' }],
)

export const warehouseSpecs = (lib: Lib, fx: Fixtures): Record<string, Spec> => {
  const metrics = METRICS_INPUT.map((m, i) => right(lib.decodeMetrics(m), `metrics ${i}`))
  const arbMetrics = fc.constantFrom(...metrics)
  const arbExperimentQuery = fc.record(
    {
      exposures: fc.record(
        { source: arbSource, unit: fc.constant('unit_id'), experiment: fc.constant('experiment'), variant: fc.constant('variant'), time: fc.constant('timestamp'), timeType: arbTime, dimension: fc.constant('country') },
        { requiredKeys: ['source', 'unit', 'experiment', 'variant', 'timeType'] },
      ),
      events: fc.record({ source: arbSource, unit: fc.constant('unit_id'), time: fc.constant('timestamp'), event: fc.constant('event'), timeType: arbTime }),
      metrics: arbMetrics,
      experiment: fc.constantFrom('checkout-button', "it's"),
      asOf: fc.constantFrom(0, 1_767_225_600_000, 8.64e15),
    },
    { requiredKeys: ['exposures', 'events', 'metrics'] },
  )
  const planOptions = fc.record(
    {
      kind: fc.constantFrom('paths', 'events'),
      pathColumns: fc.constant(lib.DEFAULT_PATH_COLUMNS),
      eventColumns: fc.constant(lib.DEFAULT_EVENT_COLUMNS),
      separator: fc.constantFrom('>', ' > '),
      timeUnit: fc.constantFrom('s', 'ms', 'us', 'ns'),
      conversionEvents: fc.record({ column: fc.constant('event_name'), names: fc.constant(['purchase']) }),
      conversionTimeColumn: fc.constant('converted_at'),
      orderColumn: fc.constant('seq'),
      lookbackMs: fc.constantFrom(0, 86_400_000),
    },
    { requiredKeys: ['pathColumns', 'eventColumns', 'separator'] },
  )
  const attributionOptions = fc
    .tuple(planOptions, arbModels, fc.integer({ min: 1, max: 4 }), arbPosition)
    .map(([p, models, order, position]) => ({ ...p, models, order, position, halfLifeMs: 7 * 86_400_000, direct: ['direct'] }))
  const exposureLayouts = [
    [['unit_id', 'experiment', 'variant', 'timestamp'], lib.DEFAULT_EXPOSURE_COLUMNS],
    [['unitId', 'experiment', 'variant', 'time', 'country'], { ...lib.DEFAULT_EXPOSURE_COLUMNS, dimension: 'country' }],
  ].map(([names, columns], i) => {
    const l = lib.exposureLayout(names, columns) as { readonly layout?: unknown; readonly issue?: unknown }
    if (l.layout === undefined) throw new Error(`surface fixture exposure layout ${i}: ${JSON.stringify(l.issue)}`)
    return l.layout
  })
  const fileNames = fc.subarray([fx.files.paths, fx.files.events, fx.files.pathsJsonl, fx.files.empty, fx.files.missing, fx.files.dir, 'exports/*.parquet', 'x.parquet', 'a.csv.gz'], { minLength: 1, maxLength: 3 })
  const format = fc.constantFrom('parquet', 'csv', 'jsonl')
  return {
    // -- touchpoint/sql ---------------------------------------------------------------------------------------------
    checkAttributionQuery: { args: args(plausible(arbAttributionQuery)) },
    compileAttribution: { args: args(plausible(fc.constantFrom(...DIALECT_NAMES))), then: [args(plausible(arbAttributionQuery))] },
    checkExperimentQuery: { args: args(plausible(arbExperimentQuery)) },
    compileExperimentSums: { args: args(plausible(fc.constantFrom(...DIALECT_NAMES))), then: [args(plausible(arbExperimentQuery))] },

    // -- touchpoint/engines -----------------------------------------------------------------------------------------
    redactUrl: { args: args(plausible(fc.constantFrom('postgres://analyst:s3cret@db.internal/warehouse', 'http://default:p%40ss@127.0.0.1:8123/?database=x&password=y', 'http://ch:8123/', 'not a url', ''))) },
    isParquetName: { args: args(plausible(fc.constantFrom('a.parquet', 'A.PARQUET', 'exports/*.parquet', 'x.parquet.gz', 'paths.csv', ''))) },
    hasParquetMagic: { args: args(plausible(fc.constantFrom(fx.files.paths, fx.files.empty, fx.files.missing, fx.files.dir, 'exports/*.parquet'))) },
    typeCategory: { args: args(plausible(fc.constantFrom('VARCHAR', 'Nullable(Float64)', 'LowCardinality(Nullable(String))', 'TIMESTAMP WITH TIME ZONE', 'INTEGER[]', 'Array(String)', 'STRUCT(a INT)', ''))) },
    formatOfFiles: { args: args(plausible(fileNames), optional(format)) },
    duckDbFileSource: { args: args(plausible(fileNames), plausible(format), optional(fc.record({ delimiter: fc.constantFrom(',', ';', '\t', "'") }, { requiredKeys: [] }))) },
    planInput: { args: args(plausible(arbColumnInfo), plausible(planOptions)) },
    allRows: { args: args(plausible(arbDriver), plausible(fc.constantFrom('SELECT 1', 'SELECT * FROM events'))) },
    describeSource: { args: args(plausible(arbDriver), plausible(arbSource)) },
    attributeWithDriver: { args: args(plausible(arbDriver), plausible(arbSource), plausible(attributionOptions)) },

    // -- touchpoint/experiments -------------------------------------------------------------------------------------
    decodeMetrics: { args: args(plausible(fc.constantFrom(...METRICS_INPUT))) },
    decodeMetricsJson: { args: args(plausible(fc.constantFrom(...METRICS_INPUT).map((m) => JSON.stringify(m)))) },
    percentileCont: { args: args(plausible(fc.double({ min: 0, max: 1, noNaN: true }))), then: [args(plausible(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { maxLength: 20 }).map((xs) => Float64Array.from(xs))))] },
    timeOf: { args: args(plausible(fc.constantFrom('1767225600', '2026-01-01T00:00:00Z', 1767225600000, '2026-01-01', '', 1e300)), plausible(fc.constantFrom('s', 'ms', 'us', 'ns'))) },
    exposureLayout: {
      args: args(
        plausible(fc.constantFrom(['unit_id', 'experiment', 'variant', 'timestamp'], ['unitId', 'experiment', 'variant', 'time', 'country'], ['unit_id', 'unit_id', 'variant'])),
        plausible(fc.constantFrom(lib.DEFAULT_EXPOSURE_COLUMNS, { ...lib.DEFAULT_EXPOSURE_COLUMNS, dimension: 'country' })),
        optional(fc.record({ unit: fc.boolean(), time: fc.boolean(), dimension: fc.boolean() }, { requiredKeys: [] })),
      ),
    },
    isIssue: { args: args(plausible(fc.constantFrom({ path: 'unit', expected: 'a unit id', actual: '' }, { unit: 'u1', experiment: 'x', variant: 'a', time: 0 }, undefined, { path: 1 }))) },
    decodeExposure: {
      args: args(plausible(fc.constantFrom(...exposureLayouts)), plausible(fc.constantFrom('s', 'ms', 'us', 'ns'))),
      then: [
        args(
          plausible(fc.constantFrom(['u1', 'checkout', 'a', '2026-01-01T00:00:00Z'], ['u2', 'checkout', 'b', '1767225600', 'DE'], ['', '', '', ''], { unit_id: 'u1', experiment: 'checkout', variant: 'a', timestamp: 1767225600000 }, { unitId: 'u3', experiment: 'x', variant: 'b', time: 'soon' })),
          plausible(fc.integer({ min: 1, max: 1_000_000 })),
        ),
      ],
    },
  }
}
