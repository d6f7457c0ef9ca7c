/**
 * Which kind a source is (paths or events), from its CSV header or its first JSON object, and the words that say
 * what was looked for.
 *
 * @module
 */
import { columnIndex, jsonField } from './rows'
import { type InputKind, type ReadSettings } from './settings'

/** What kind detection looks for, for the message when it finds neither. */
export const kindClueText = (s: ReadSettings): string =>
  `a "${s.paths.columns.path}" column (paths) or ${s.events.columns.user.map((u) => JSON.stringify(u)).join('/')} and "${s.events.columns.time}" columns (events)`

/** The kind a CSV header names, if it names one. */
export const kindOfHeader = (header: ReadonlyArray<string>, s: ReadSettings): InputKind | undefined =>
  columnIndex(header, s.paths.columns.path) >= 0
    ? 'paths'
    : s.events.columns.user.some((u) => columnIndex(header, u) >= 0) && columnIndex(header, s.events.columns.time) >= 0
      ? 'events'
      : undefined

/** The kind a first JSON object names, if it names one. */
export const kindOfObject = (o: Readonly<Record<string, unknown>>, s: ReadSettings): InputKind | undefined =>
  jsonField(o, s.paths.columns.path) !== undefined
    ? 'paths'
    : s.events.columns.user.some((u) => jsonField(o, u) !== undefined) && jsonField(o, s.events.columns.time) !== undefined
      ? 'events'
      : undefined
