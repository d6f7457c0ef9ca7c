/**
 * `touchpoint report --engine duckdb|postgres|clickhouse`: the engine builds the journeys (for events the
 * order-dependent part: each user's rows sorted, cut at conversions and by the lookback) and streams them here,
 * where the report's one reducer (`touchpointAccumulator`) takes them exactly as it takes the streaming
 * reader's. Every section of the report comes out as the in-process reader makes it, the bootstrap included (its
 * draws are seeded by each journey's content, not its place in the input).
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { ModelName, Settings } from '../attribution/model'
import type { SqlDriver } from '../engines/driver'
import { journeysWithDriver } from '../engines/journeys'
import { checkReportSettings, reportSettings, touchpointAccumulator } from '../report/accumulate'
import type { ReportPartial, ReportSettings } from '../report/model'
import { formatError } from '../core/errors'
import { connect, EngineInputError, engineOptions, invalidRowsRefused, sourceOf, type Values } from './engineRun'
import { UsageError } from './inputOptions'
import { EXIT_DATA, EXIT_USAGE, say, type Io } from './io'

/** What the engine's journeys reduced to. */
export interface EngineReport {
  readonly ok: true
  readonly partial: ReportPartial
  readonly kind: 'paths' | 'events'
  readonly describe: string
}

/**
 * The report's partial from journeys an engine builds. `values` are the report's flags: its `--table` names a CSV
 * table of the output, so the source is FILEs (DuckDB) or `--query SQL`.
 */
export const reduceReportWithEngine = async (
  engine: 'duckdb' | 'postgres' | 'clickhouse',
  values: Values,
  positionals: ReadonlyArray<string>,
  report: Partial<Omit<ReportSettings, 'attribution'>>,
  models: (kind: 'paths' | 'events') => ReadonlyArray<ModelName>,
  io: Io,
): Promise<EngineReport | { readonly ok: false; readonly exit: number }> => {
  const fail = (message: string, exit: number = EXIT_DATA) => {
    say(io, `touchpoint report: ${message}`)
    return { ok: false as const, exit }
  }
  const onError = typeof values['on-error'] === 'string' ? values['on-error'] : 'fail'
  if (onError !== 'fail' && onError !== 'skip') return fail(`--on-error: expected fail or skip, got ${JSON.stringify(onError)}`, EXIT_USAGE)
  let driver: SqlDriver | undefined
  try {
    const options = engineOptions(values, ['first'])
    const attribution: Settings = { order: options.order, position: options.position, halfLifeMs: options.halfLifeMs, direct: options.direct }
    const settings = checkReportSettings(reportSettings(attribution, report))
    if (E.isLeft(settings)) return fail(formatError(settings.left), EXIT_USAGE)
    // The report's --table is the CSV table it writes, never a source.
    const source = await sourceOf(engine, { ...values, table: undefined }, positionals)
    driver = await connect(engine, values)
    const acc = touchpointAccumulator(settings.right)
    // Each event journey with its user's previous conversion, computed by the engine: the after-purchase section.
    const read = await journeysWithDriver(driver, source, options, acc.add, { previousConversion: settings.right.afterPurchaseWindowMs !== undefined })
    if (E.isLeft(read)) return fail(`${read.left}\nNothing was written.`)
    const { input, invalidRows, rows } = read.right
    if (input === 'paths' && models(input).includes('time_decay')) return fail('time_decay needs event-level input with timestamps; the input is aggregated paths', EXIT_USAGE)
    if (invalidRows > 0 && onError !== 'skip') {
      return fail(invalidRowsRefused(invalidRows))
    }
    if (invalidRows > 0) say(io, `touchpoint report: left out ${invalidRows} invalid input row${invalidRows === 1 ? '' : 's'}`)
    acc.countRows(rows - invalidRows)
    return { ok: true, partial: acc.snapshot(), kind: input, describe: driver.describe }
  } catch (e) {
    if (e instanceof UsageError) return fail(e.message, EXIT_USAGE)
    if (e instanceof EngineInputError) return fail(e.message)
    return fail(`${e instanceof Error ? e.message : String(e)}\nNothing was written.`)
  } finally {
    await driver?.close()
  }
}
