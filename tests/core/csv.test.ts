import { describe, expect, it } from 'vitest'
import { fc, test } from '@fast-check/vitest'
import { csvReader, isCsvProblem, type CsvProblem, type CsvRecord } from '../../src/core/csv'
import { pieceBounds } from '../_cuts'

const readAll = (chunks: ReadonlyArray<string>) => {
  const reader = csvReader()
  const out: Array<CsvRecord | CsvProblem> = []
  for (const c of chunks) out.push(...reader.push(c))
  out.push(...reader.end())
  return out
}
const quote = (field: string) => (/[",\r\n]/.test(field) || field === '' ? `"${field.replaceAll('"', '""')}"` : field)
const arbRows = fc.array(fc.array(fc.string({ unit: 'grapheme', maxLength: 6 }).map((s) => s.replace(/\r/g, '')), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 8 })

/** Cut a text at the given positions into chunks. */
const cut = (text: string, cuts: ReadonlyArray<number>) => pieceBounds(text.length, cuts).map(([from, to]) => text.slice(from, to))

describe('csvReader', () => {
  it('reads quoted fields with commas, doubled quotes and newlines, and the line each record starts on', () => {
    expect(readAll(['id,name\n1,"a, ""b""\nc"\r\n2,x\n\n3,'])).toEqual([
      { line: 1, fields: ['id', 'name'] },
      { line: 2, fields: ['1', 'a, "b"\nc'] },
      { line: 4, fields: ['2', 'x'] },
      { line: 6, fields: ['3', ''] },
    ])
  })

  it('reports malformed records with their line and goes on', () => {
    const out = readAll(['a,b"c\n"x"y,1\nok,1\n"open'])
    expect(out.map((r) => (isCsvProblem(r) ? [r.line, r.error.split(' (')[0]] : [r.line, r.fields]))).toEqual([
      [1, 'a quote inside an unquoted field'],
      [2, 'text after the closing quote of field 1'],
      [3, ['ok', '1']],
      [4, 'a quoted field that is never closed'],
    ])
  })

  test.prop([arbRows, fc.array(fc.nat(), { maxLength: 6 })])('any chunking reads the same records as one chunk', (rows, cuts) => {
    const text = `${rows.map((r) => r.map(quote).join(',')).join('\n')}\n`
    expect(readAll(cut(text, cuts))).toEqual(readAll([text]))
  })

  test.prop([arbRows])('round-trips what a CSV writer quotes', (rows) => {
    const nonBlank = rows.filter((r) => !(r.length === 1 && r[0] === ''))
    const text = nonBlank.map((r) => r.map(quote).join(',')).join('\r\n')
    expect(readAll([text]).map((r) => (isCsvProblem(r) ? r : r.fields))).toEqual(nonBlank)
  })
})
