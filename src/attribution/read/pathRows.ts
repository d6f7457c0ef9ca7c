/**
 * The path row decoder (`pathDecoder`): a path's channels, conversion marker and amounts read in place from a CSV
 * `FieldView` or a JSON object, channels as the reducer's indexes.
 *
 * @module
 */
import * as t from 'io-ts'
import { invalidInput, type Issue, type TouchpointError } from '../../core/errors'
import { everyElement } from '../../core/guards'
import { Amount, OptionalAmount } from '../codec'
import { optionalDecimal, plainDecimal } from '../internal/text'
import { fieldText, type FieldView } from './fields'
import type { PathColumns } from './settings'
import { hasName, tokenTable } from './tokens'
import { cell, columnIndex, jsonField, missingColumn, repeatedColumns, widthIssue } from './rowCells'

// ---------------------------------------------------------------------------------------------------------------
// Paths

/**
 * A decoded path row: channels as indexes from the reducer's `channelIndex`, in `ids[0, n)` (the array is
 * reused by the next row).
 *
 * @category reading
 * @since 0.2.0
 */
export interface PathRow {
  /** A plain array for ordinary paths; for a path of more than 4,096 touches, the decoder's own Int32Array. */
  ids: Array<number> | Int32Array
  n: number
  conversions: number
  value: number
  nulls: number
}

/**
 * A path decoder: `layout` reads a CSV header (a `Left`-like error when a required column is missing), `csv`
 * and `json` decode one row into `row`.
 *
 * @category reading
 * @since 0.2.0
 */
export interface PathDecoder {
  readonly row: PathRow
  /** The tokens of the last row read from CSV (raw text between separators, spaces and all) with their channels. */
  readonly eachToken: (f: (token: string, channel: number) => void) => void
  readonly layout: (header: ReadonlyArray<string>, line: number) => TouchpointError | undefined
  readonly csv: (v: FieldView, line: number) => TouchpointError | undefined
  readonly json: (o: Readonly<Record<string, unknown>>, line: number) => TouchpointError | undefined
  /**
   * The amounts of a JSON row (conversions, value, nulls) into `row`, its path aside: for a lane that reads the
   * path of a long record itself (src/files/jsonLane.ts). The error lists only the amounts' issues: the lane then
   * hands the line to `json`, which words them all.
   */
  readonly jsonAmounts: (o: Readonly<Record<string, unknown>>, line: number) => TouchpointError | undefined
}

/**
 * A decoder of aggregated-path rows (ChannelAttribution's format). Channel names are trimmed (inner spaces kept:
 * `" paid search >b"` is `paid search`, `b`), none may be empty; a bad row registers none of its channels, and
 * new channels are registered in path order.
 *
 * @category reading
 * @since 0.2.0
 */
export const pathDecoder = (columns: PathColumns, separator: string, intern: (name: string) => number): PathDecoder => {
  const expectedPath = `channel names separated by ${JSON.stringify(separator)} (none empty)`
  const tokens = tokenTable(intern)
  const idsByLength: Array<Array<number> | undefined> = []
  const row: PathRow = { ids: [], n: 0, conversions: 0, value: 0, nulls: 0 }
  let header: ReadonlyArray<string> = []
  let pathAt = -1
  let convAt = -1
  let valueAt = -1
  let nullsAt = -1
  // Per row: each token's id, or -1 - its start when it is new (its end is found again when it is registered):
  // 4 bytes per touch, grown as paths lengthen. A path of millions of touches kept three such arrays before.
  let tokenId = new Int32Array(64)
  // The path of the last row scanned: `text[pathStart, pathEnd)`.
  let pathStart = 0
  let pathEnd = 0
  const issues: Array<Issue> = []

  // A value with no conversion on its row has no meaning: rule-based credits would count it, channel sets and the
  // Markov chain (which weigh a row by its conversions and nulls) would not, and the SQL groups rows of one path
  // before weighing them. Refused, so every model and engine sees the same rows.
  const expectedValue = `0 or an empty cell where ${columns.conversions} is 0 (a conversion value needs conversions on the same row)`
  const valueWithoutConversions = (actual: unknown, line: number): Issue => ({ path: columns.value, expected: expectedValue, actual, line })

  const layout = (h: ReadonlyArray<string>, line: number): TouchpointError | undefined => {
    header = h
    pathAt = columnIndex(h, columns.path)
    convAt = columnIndex(h, columns.conversions)
    valueAt = columnIndex(h, columns.value)
    nullsAt = columnIndex(h, columns.nulls)
    const missing: Array<Issue> = []
    if (pathAt < 0) missing.push(missingColumn([columns.path], h, line))
    if (convAt < 0) missing.push(missingColumn([columns.conversions], h, line))
    missing.push(...repeatedColumns(h, [pathAt, convAt, valueAt, nullsAt], line))
    return missing.length > 0 ? invalidInput(missing) : undefined
  }

  const amount = (codec: t.Decoder<unknown, number>, optional: boolean, text: string, s: number, e: number, column: string, line: number): number => {
    const x = optional ? optionalDecimal(text, s, e) : plainDecimal(text, s, e)
    return x >= 0 ? x : (cell(codec, text.slice(s, e), column, line, issues) ?? 0)
  }

  /**
   * Room for more tokens of the path `[start, end)` scanned up to `at`: at least twice as much, and as many as the
   * path's remaining length holds at the token length seen so far (one copy for a path of millions of touches,
   * not twenty doublings of fresh memory).
   */
  const grow = (start: number, at: number, end: number) => {
    const seen = tokenId.length
    const estimate = Math.ceil((seen * (end - start)) / Math.max(1, at - start) * 1.05) + 64
    const b = new Int32Array(Math.max(seen * 2, Math.min(estimate, seen * 64)))
    b.set(tokenId)
    tokenId = b
  }

  /** The end of the token starting at `from` in the path last scanned (the scan's own rule). */
  const tokenEndAt = (text: string, from: number): number => {
    const stop = text.indexOf(separator, from)
    return stop < 0 || stop + separator.length > pathEnd ? pathEnd : stop
  }

  /** Finds the tokens of the path `text[start, end)`, registering none; false when a name is empty. */
  let tokenCount = 0
  const scanTokens = (text: string, start: number, end: number): boolean => {
    pathStart = start
    pathEnd = end
    const step = separator.length
    let ids = tokenId
    let count = 0
    let from = start
    for (;;) {
      let stop = text.indexOf(separator, from)
      if (stop < 0 || stop + step > end) stop = end
      if (count === ids.length) {
        grow(start, from, end)
        ids = tokenId
      }
      const id = tokens.find(text, from, stop)
      if (id < 0 && !hasName(text, from, stop)) return false
      ids[count++] = id >= 0 ? id : -1 - from
      if (stop === end) break
      from = stop + step
    }
    tokenCount = count
    return true
  }
  /** The tokens found into `row.ids`, new names registered in path order. */
  const commitTokens = (text: string): void => {
    const count = tokenCount
    const found = tokenId
    if (count > 4096) {
      // A path of thousands of touches is handed over in the Int32Array it was scanned into, resolved in place
      // (a plain array of 10 million numbers was 80 MB of fresh memory for one 100 MB line).
      for (let k = 0; k < count; k++) {
        const id = found[k]!
        if (id < 0) found[k] = tokens.add(text, -1 - id, tokenEndAt(text, -1 - id))
      }
      row.ids = found
      row.n = count
      return
    }
    // One plain array per path length, reused (the reducers' hot loops stay on one array shape).
    const ids = idsByLength[count] ?? (idsByLength[count] = new Array<number>(count).fill(0))
    for (let k = 0; k < count; k++) {
      const id = found[k]!
      ids[k] = id >= 0 ? id : tokens.add(text, -1 - id, tokenEndAt(text, -1 - id))
    }
    row.ids = ids
    row.n = count
  }
  const csv = (v: FieldView, line: number): TouchpointError | undefined => {
    if (v.count !== header.length) return invalidInput([widthIssue(header, v, line)])
    if (issues.length > 0) issues.length = 0
    const text = v.text
    // Every bad cell is listed, in column order; a bad row registers none of its channels.
    if (!scanTokens(text, v.start[pathAt]!, v.end[pathAt]!)) issues.push({ path: columns.path, expected: expectedPath, actual: fieldText(v, pathAt), line })
    const before = issues.length
    row.conversions = amount(Amount, false, text, v.start[convAt]!, v.end[convAt]!, columns.conversions, line)
    row.value = valueAt < 0 ? 0 : amount(OptionalAmount, true, text, v.start[valueAt]!, v.end[valueAt]!, columns.value, line)
    if (row.conversions === 0 && row.value > 0 && issues.length === before) issues.push(valueWithoutConversions(fieldText(v, valueAt), line))
    row.nulls = nullsAt < 0 ? 0 : amount(OptionalAmount, true, text, v.start[nullsAt]!, v.end[nullsAt]!, columns.nulls, line)
    if (issues.length > 0) return invalidInput(issues.slice())
    commitTokens(text)
    return undefined
  }

  /** The amounts of a JSON row into `row`; false (their issues pushed after any before) when one is bad. */
  const amountsOf = (o: Readonly<Record<string, unknown>>, line: number): boolean => {
    const before = issues.length
    const conversions = cell(Amount, jsonField(o, columns.conversions), columns.conversions, line, issues)
    const value = cell(OptionalAmount, jsonField(o, columns.value), columns.value, line, issues)
    if (conversions === 0 && value !== undefined && value > 0) issues.push(valueWithoutConversions(jsonField(o, columns.value), line))
    const nulls = cell(OptionalAmount, jsonField(o, columns.nulls), columns.nulls, line, issues)
    if (issues.length > before) return false
    row.conversions = conversions!
    row.value = value!
    row.nulls = nulls!
    return true
  }
  const jsonAmounts = (o: Readonly<Record<string, unknown>>, line: number): TouchpointError | undefined => {
    if (issues.length > 0) issues.length = 0
    return amountsOf(o, line) ? undefined : invalidInput(issues.slice())
  }

  const json = (o: Readonly<Record<string, unknown>>, line: number): TouchpointError | undefined => {
    if (issues.length > 0) issues.length = 0
    const p = jsonField(o, columns.path)
    const names = Array.isArray(p) && p.length > 0 && everyElement(p, (x) => typeof x === 'string' && x.trim() !== '') ? (p as ReadonlyArray<string>) : undefined
    const pathOk = typeof p === 'string' ? scanTokens(p, 0, p.length) : names !== undefined
    if (!pathOk) issues.push({ path: columns.path, expected: expectedPath, actual: p, line })
    if (!amountsOf(o, line) || issues.length > 0) return invalidInput(issues.slice())
    // Registered only now: a bad row registers none of its channels.
    if (typeof p === 'string') commitTokens(p)
    else {
      const ids = idsByLength[names!.length] ?? (idsByLength[names!.length] = new Array<number>(names!.length).fill(0))
      for (let k = 0; k < names!.length; k++) ids[k] = intern(names![k]!.trim())
      row.ids = ids
      row.n = names!.length
    }
    return undefined
  }

  let lastText = ''
  const eachToken = (f: (token: string, channel: number) => void): void => {
    let from = pathStart
    for (let k = 0; k < row.n; k++) {
      const stop = tokenEndAt(lastText, from)
      f(lastText.slice(from, stop), row.ids[k]!)
      from = stop + separator.length
    }
  }

  return { row, layout, csv: (v, line) => ((lastText = v.text), csv(v, line)), json, jsonAmounts, eachToken }
}
