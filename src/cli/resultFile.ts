/**
 * A saved result of an attribution query read back (`touchpoint attribute --partial FILE`): its rows, from a JSON
 * array, JSON lines, or CSV with a header (BigQuery's and Snowflake's downloads). Split from engineRun.ts.
 *
 * @module
 */
import { readFile } from 'node:fs/promises'
import * as E from 'fp-ts/Either'
import { csvReader, isCsvProblem } from '../core/csv'
import { formatError } from '../core/errors'
import { parseJson } from '../core/json'

/** Rows of a saved result: a JSON array, JSON lines, or CSV with a header (BigQuery's and Snowflake's downloads). */
export const readResultFile = async (path: string): Promise<E.Either<string, { rows: ReadonlyArray<Record<string, unknown>>; firstLine: number }>> => {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (e) {
    return E.left(`cannot read ${path}: ${e instanceof Error ? e.message : String(e)}`)
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1)
  const head = text.trimStart()
  // Strict JSON (src/core/json.ts): a key given twice would otherwise silently keep one of two numbers.
  if (head.startsWith('[')) {
    const rows = parseJson(text)
    if (E.isLeft(rows)) return E.left(`${path}: ${formatError(rows.left)}`)
    return Array.isArray(rows.right) ? E.right({ rows: rows.right as Array<Record<string, unknown>>, firstLine: 1 }) : E.left(`${path}: expected a JSON array of rows`)
  }
  if (head.startsWith('{')) {
    const rows: Array<Record<string, unknown>> = []
    const lines = text.split('\n')
    for (let i = 0; i < lines.length; i++) {
      if (lines[i]!.trim() === '') continue
      const row = parseJson(lines[i]!)
      if (E.isLeft(row)) return E.left(`${path}:${i + 1}: ${formatError(row.left)}`)
      rows.push(row.right as Record<string, unknown>)
    }
    return E.right({ rows, firstLine: 1 })
  }
  const reader = csvReader()
  const records = [...reader.push(text), ...reader.end()]
  const rows: Array<Record<string, unknown>> = []
  let header: ReadonlyArray<string> | undefined
  for (const r of records) {
    if (isCsvProblem(r)) return E.left(`${path}:${r.line}: ${r.error}`)
    if (header === undefined) header = r.fields.map((h) => h.trim())
    else rows.push(Object.fromEntries(header.map((h, i) => [h, r.fields[i] ?? ''])))
  }
  return E.right({ rows, firstLine: 2 })
}
