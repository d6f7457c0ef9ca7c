/**
 * A report partial from a small CSV held in memory (paths or events, told apart by the header), for scripts and
 * demos. Files too large for memory go through `touchpoint report`, which streams.
 *
 * @module
 */
import * as E from 'fp-ts/Either'
import { decodeEventFields, decodePathFields, DEFAULT_EVENT_COLUMNS, DEFAULT_PATH_COLUMNS, eventLayout, pathLayout } from '../attribution/decode'
import { journeyBuilder, type JourneyOptions } from '../attribution/journeys'
import { csvReader, isCsvProblem } from '../core/csv'
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
    const options = given
    const reader = csvReader()
    const records = [...reader.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), ...reader.end()]
    const both = touchpointAccumulator(settings)
    const acc = both.accumulator
    const issues: Array<Issue> = []
    const builder = journeyBuilder({
      ...(options.lookbackMs === undefined ? {} : { lookbackMs: options.lookbackMs }),
      ...(options.grouped === undefined ? {} : { grouped: options.grouped }),
      // Each journey with its user's previous purchase, as the CLI's reader hands them: the after-purchase section.
      ...(settings.afterPurchaseWindowMs === undefined ? {} : { afterPurchaseMs: settings.afterPurchaseWindowMs }),
    })
    let onRecord: ((fields: ReadonlyArray<string>, line: number) => void) | undefined
    for (const r of records) {
      if (isCsvProblem(r)) {
        issues.push({ path: '', expected: 'a well-formed CSV record', actual: r.error, line: r.line })
        continue
      }
      if (r.fields.length === 1 && r.fields[0] === '') continue
      if (onRecord === undefined) {
        const header = r.fields.map((h) => h.trim())
        if (header.includes(DEFAULT_PATH_COLUMNS.path)) {
          const layout = pathLayout()(r.fields, r.line)
          if (E.isLeft(layout)) return layout
          const decode = decodePathFields(layout.right, options.separator ?? '>')
          onRecord = (fields, line) => {
            const j = decode(fields, line)
            if (E.isLeft(j)) {
              if (j.left._tag === 'InvalidInput') issues.push(...j.left.issues)
            } else {
              acc.add(j.right)
              acc.countRows(1)
            }
          }
        } else {
          const layout = eventLayout()(r.fields, r.line)
          if (E.isLeft(layout)) {
            return E.left(invalidInput([{ path: 'header', expected: `a "${DEFAULT_PATH_COLUMNS.path}" column (paths) or "${DEFAULT_EVENT_COLUMNS.user}" and "${DEFAULT_EVENT_COLUMNS.time}" columns (events)`, actual: header.join(','), line: r.line }]))
          }
          const decode = decodeEventFields(layout.right)
          onRecord = (fields, line) => {
            const row = decode(fields, line)
            const done = E.isLeft(row) ? row : builder.push(row.right, line)
            if (E.isLeft(done)) {
              if (done.left._tag === 'InvalidInput') issues.push(...done.left.issues)
            } else {
              for (const j of done.right) acc.add(j)
              acc.countRows(1)
            }
          }
        }
        continue
      }
      onRecord(r.fields, r.line)
    }
    for (const j of builder.end()) acc.add(j)
    if (onRecord === undefined) return E.left(invalidInput([{ path: 'header', expected: 'a header row', actual: '', line: 1 }]))
    return issues.length > 0 ? E.left(invalidInput(issues)) : E.right(both.snapshot())
  }
