/**
 * `reader`'s arguments checked for callers without types, and the read that refuses them at once: failed, its
 * one bad line naming the field.
 *
 * @module
 */
import { formatError, issue, type Issue, type TouchpointError } from '../../core/errors'
import { everyElement } from '../../core/guards'
import { readSettingsIssues } from './settings'
import { type Reader, type SourceReader } from './readerModel'

/** An error's text without the `line N:` formatError puts first (the caller locates it). */
export const errorText = (e: TouchpointError): string =>
  formatError(e)
    .split('\n')
    .map((l) => l.replace(/^line \d+(?:, (column \d+))?: /, (_, column: string | undefined) => (column === undefined ? '' : `${column}: `)))
    .join('; ')

export const isFunction = (u: unknown): boolean => typeof u === 'function'
export const isCount = (u: unknown): u is number => Number.isSafeInteger(u) && (u as number) >= 0

/** What is wrong with the arguments of `reader` (from a caller without types). */
export const readerIssues = (settings: unknown, reducer: unknown, options: unknown): ReadonlyArray<Issue> => {
  const out: Array<Issue> = [...readSettingsIssues(settings)]
  const r = reducer as Partial<Record<string, unknown>> | null | undefined
  if (r === null || typeof r !== 'object' || !['channelIndex', 'addIndexed', 'countRows', 'snapshot'].every((k) => isFunction(r[k]))) {
    out.push(issue('reducer', 'a Reducer (channelIndex, addIndexed, countRows and snapshot functions) such as accumulator(DEFAULT_SETTINGS)', reducer))
  }
  if (options !== undefined) {
    if (options === null || typeof options !== 'object') out.push(issue('options', 'an object such as { where: (source, line) => `${name}:${line}` }', options))
    else {
      const o = options as Partial<Record<string, unknown>>
      for (const k of ['where', 'onProgress']) if (o[k] !== undefined && !isFunction(o[k])) out.push(issue(`options.${k}`, 'a function', o[k]))
    }
  }
  return out
}

/** What is wrong with the hints of a source, if anything. */
export const hintIssues = (hints: unknown): ReadonlyArray<Issue> => {
  if (hints === null || typeof hints !== 'object') return [issue('hints', "an object such as { name: 'events.csv' }", hints)]
  const h = hints as Partial<Record<string, unknown>>
  const out: Array<Issue> = []
  if (typeof h['name'] !== 'string') out.push(issue('hints.name', 'a name for messages (a file name, - for standard input)', h['name']))
  if (h['format'] !== undefined && h['format'] !== 'csv' && h['format'] !== 'jsonl') out.push(issue('hints.format', 'one of "csv", "jsonl"', h['format']))
  if (h['header'] !== undefined && !(Array.isArray(h['header']) && everyElement(h['header'], (c) => typeof c === 'string'))) out.push(issue('hints.header', 'an array of column names', h['header']))
  if (h['headerLine'] !== undefined && typeof h['headerLine'] !== 'boolean') out.push(issue('hints.headerLine', 'a boolean', h['headerLine']))
  return out
}

/** A source that reads nothing: its read stopped before it began. */
export const deadSource = (rows: () => number): SourceReader => ({
  push: () => false,
  end: () => false,
  line: () => false,
  pathLane: () => undefined,
  busy: () => false,
  jsonPath: () => false,
  laneRows: () => undefined,
  rows,
  fail: () => undefined,
  currentLine: () => 0,
  replaced: () => undefined,
})

/** The read of arguments that are not what `reader` takes: failed from the start, the error its one bad line. */
export const refusedReader = (e: TouchpointError): Reader => ({
  source: () => deadSource(() => 0),
  finish: () => ({
    rows: 0,
    ignored: 0,
    skipped: 0,
    bad: [{ source: 0, line: 0, message: errorText(e), error: e }],
    failed: true,
    lines: [],
    multiLine: [],
    replacedUtf8: 0,
    kind: undefined,
    peakOpenUsers: 0,
    timeOrdered: true,
  }),
  failed: () => true,
})
