/**
 * A report partial from a CSV held in memory (paths or events, told apart by the header), for scripts and demos,
 * read by the same pipeline as files (`readTextInto`). Files too large for memory go through `touchpoint report`,
 * which streams.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import type { JourneyOptions } from '../attribution/journeys'
import { readSettings } from '../attribution/read/settings'
import { readTextInto } from '../attribution/read/text'
import { invalidInput, issue, type Issue, type TouchpointError } from '../core/errors'
import { isRecord } from '../core/guards'
import { journeyOptionIssues, separatorIssues } from '../attribution/internal/guards'
import { checkReportSettings, touchpointAccumulator } from './accumulate'
import type { ReportPartial, ReportSettings } from './model'

/**
 * Reduce a CSV text of aggregated paths (a `path` column) or events (`user_id` and `timestamp` columns), with
 * attribution's default column names, into a report partial. `Left` lists every bad line. Events are built into
 * journeys as `touchpoint attribute` builds them (`lookbackMs`, `grouped` as there).
 *
 * @example
 * import { readFileSync } from 'node:fs'
 * pipe(readFileSync('examples/events.csv', 'utf8'), reduceCsvText(reportSettings(DEFAULT_SETTINGS)), E.flatMap(buildReport({ models: ['last', 'markov'] })))
 * // => right({ touchpoints: [...], ... })
 *
 * @category report
 * @since 0.1.0
 */
export const reduceCsvText =
  (settings: ReportSettings, given: Pick<JourneyOptions, 'lookbackMs' | 'grouped'> & { readonly separator?: string } = {}) =>
  (text: string): E.Either<TouchpointError, ReportPartial> => {
    const checked = checkReportSettings(settings)
    if (E.isLeft(checked)) return checked
    // From plain JavaScript: options or text that are none (the journey builder and the decoders check the fields).
    const bad = [...journeyOptionIssues(isRecord(given) ? { lookbackMs: given.lookbackMs, grouped: given.grouped } : given), ...(isRecord(given) && given.separator !== undefined ? separatorIssues(given.separator, 'options.separator') : [])]
    if (bad.length > 0) return E.left(invalidInput(bad))
    if (typeof text !== 'string') return E.left(invalidInput([issue('', 'CSV text (a string)', text)]))
    const read = readSettings({
      format: 'csv',
      // Every bad line is read past and kept, so the Left lists them all (the reader keeps `maxReasons`).
      onError: 'skip',
      maxReasons: Number.MAX_SAFE_INTEGER,
      ...(given.lookbackMs === undefined ? {} : { lookbackMs: given.lookbackMs }),
      ...(given.grouped === undefined ? {} : { grouped: given.grouped }),
      ...(given.separator === undefined ? {} : { separator: given.separator }),
    })
    if (E.isLeft(read)) return read
    const acc = touchpointAccumulator(settings)
    // The pipeline `touchpoint report` reads files with, over the text as one source: the same rows, journeys and
    // after-purchase times (the accumulator asks for them), so the same report.
    const tally = readTextInto(read.right, acc, text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
    const issues = tally.bad.flatMap((b): ReadonlyArray<Issue> =>
      b.error !== undefined && b.error._tag === 'InvalidInput' ? b.error.issues.map((i) => ({ ...i, line: b.line })) : [{ path: '', expected: 'a readable line', actual: b.message, line: b.line }],
    )
    if (issues.length > 0) return E.left(invalidInput(issues))
    if (tally.kind === undefined) return E.left(invalidInput([{ path: 'header', expected: 'a header row', actual: '', line: 1 }]))
    return E.right(acc.snapshot())
  }
