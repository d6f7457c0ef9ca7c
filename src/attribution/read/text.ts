/**
 * The reading pipeline over text held in memory: the same stages, options and messages as
 * `readAttributionFiles` and `touchpoint attribute`, for scripts, tests and edge functions that have the export
 * as a string.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { invalidInput, issue, type Issue, type TouchpointError } from '../../core/errors'
import { accumulator } from '../accumulate'
import { makeSettings } from '../decode'
import type { AttributionPartial, PositionWeights } from '../model'
import { reader, type BadLine, type ReadTally } from './reader'
import type { Reducer } from './reducer'
import { readSettings, type InputKind, type ReadSettings } from './settings'

/**
 * A line skipped as bad (`onError: 'skip'`): where, and why.
 *
 * @category reading
 * @since 0.2.0
 */
export interface SkippedLine {
  readonly file: string
  readonly line: number
  readonly message: string
}

/**
 * What a read gave: the partial result to pass to `attribute`, and what was read, ignored and skipped.
 *
 * @category reading
 * @since 0.2.0
 */
export interface AttributionRead {
  readonly partial: AttributionPartial
  readonly kind: InputKind
  /** Data rows read (header and blank lines aside). */
  readonly rows: number
  /** Event rows that were neither a touch (no channel) nor a conversion. */
  readonly ignored: number
  /** Bad lines skipped (always 0 with `onError: 'fail'`). */
  readonly skipped: number
  /** The first `maxReasons` skipped lines. */
  readonly skippedLines: ReadonlyArray<SkippedLine>
  /** Byte sequences that were not UTF-8, replaced (files only, with `invalidUtf8: 'replace'`). */
  readonly replacedUtf8: number
}

/**
 * Model settings, any subset: Markov `order` (1 to 4, default 1), `position` weights (default 40/20/40),
 * `halfLifeMs` (default 7 days), `direct` channels (default `['direct']`).
 *
 * @category reading
 * @since 0.2.0
 */
export interface ModelSettingsInput {
  readonly order?: number
  readonly position?: PositionWeights
  readonly halfLifeMs?: number
  readonly direct?: ReadonlyArray<string>
}

// Line 0: the read stopped before its first line (arguments that were not what it takes); the path says where.
const located = (file: string, line: number) => (i: Issue): Issue => (line > 0 ? { ...i, file, line } : i)

/**
 * The `Left` for a read that stopped: the bad line's issues, located; or, when every data line was bad (with
 * `onError: 'skip'`), that nothing was read.
 *
 * @category reading
 * @since 0.2.0
 */
export const readFailure = (names: ReadonlyArray<string>, tally: ReadTally): TouchpointError | undefined => {
  const first: BadLine | undefined = tally.bad[0]
  if (tally.failed && first !== undefined) {
    const file = names[first.source] ?? ''
    return first.error !== undefined && first.error._tag === 'InvalidInput'
      ? invalidInput(first.error.issues.map(located(file, first.line)))
      : first.error ?? invalidInput([{ ...issue('', 'a readable line', first.message), file, line: first.line }])
  }
  if (tally.kind === undefined) return invalidInput([{ ...issue('', 'a header row or a first record', 'nothing'), file: names[0] ?? '', line: 1 }])
  if (tally.skipped > 0 && tally.rows === 0) {
    return invalidInput([{ ...issue('', `at least one good line (all ${tally.skipped} data lines were bad; the first: ${first?.message ?? ''})`, tally.skipped), file: names[first?.source ?? 0] ?? '', line: first?.line ?? 1 }])
  }
  return undefined
}

/**
 * What a finished read gives a caller.
 *
 * @category reading
 * @since 0.2.0
 */
export const readOutcome = (names: ReadonlyArray<string>, tally: ReadTally, partial: AttributionPartial, maxReasons: number): E.Either<TouchpointError, AttributionRead> => {
  const failure = readFailure(names, tally)
  if (failure !== undefined) return E.left(failure)
  return E.right({
    partial,
    kind: tally.kind!,
    rows: tally.rows,
    ignored: tally.ignored,
    skipped: tally.skipped,
    skippedLines: tally.bad.slice(0, maxReasons).map((b) => ({ file: names[b.source] ?? '', line: b.line, message: b.message })),
    replacedUtf8: tally.replacedUtf8,
  })
}

/**
 * Reads text through the pipeline into `reducer`, as one source named `name`.
 *
 * @category reading
 * @since 0.2.0
 */
export const readTextInto = <P>(settings: ReadSettings, reducer: Reducer<P>, text: string, name = '<text>'): ReadTally => {
  const read = reader(settings, reducer, { where: (_, line) => `${name}:${line}` })
  const src = read.source({ name })
  if (src.push(text)) src.end()
  return read.finish()
}

/**
 * Reads attribution input held in memory (aggregated paths or events, CSV or JSON lines, told apart as files
 * are) into a partial result, with every option of `readSettings` and the model `settings`.
 *
 * @example
 * import { readFileSync } from 'node:fs'
 * const ga4Csv = readFileSync('examples/ga4-events.csv', 'utf8') // a GA4 export flattened to CSV
 * pipe(readAttributionText({ preset: 'ga4', lookbackMs: 30 * DAY_MS })(ga4Csv), E.flatMap(({ partial }) => attribute({ models: ['last', 'markov'] })(partial)))
 * // => right({ models: ['last', 'markov'], channels: [{ channel: 'google / cpc', … }, …], … })
 *
 * @category reading
 * @since 0.2.0
 */
export const readAttributionText =
  (options: Readonly<Record<string, unknown>> & { readonly settings?: ModelSettingsInput } = {}) =>
  (text: string): E.Either<TouchpointError, AttributionRead> => {
    if (options !== undefined && (options === null || typeof options !== 'object' || Array.isArray(options))) {
      return E.left(invalidInput([issue('options', "an object such as { preset: 'ga4', settings: { order: 2 } }", options)]))
    }
    const { settings: modelInput, ...read } = options ?? {}
    const model = makeSettings(modelInput ?? {})
    if (E.isLeft(model)) return model
    const rs = readSettings(read)
    if (E.isLeft(rs)) return rs
    if (typeof text !== 'string') return E.left(invalidInput([issue('text', 'a string', text)]))
    const acc = accumulator(model.right)
    const tally = readTextInto(rs.right, acc, text)
    return readOutcome(['<text>'], tally, acc.snapshot(), rs.right.maxReasons)
  }
