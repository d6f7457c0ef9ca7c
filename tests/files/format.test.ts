/**
 * One format sniff for every file reader: given, else the name, else the first line; Parquet's magic number in
 * one place. The property tests pin the behaviour of the copies it replaced; the unit tests name the case where
 * a copy was wrong (a blank first line read as CSV).
 */
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readAttributionFiles } from '../../src/files/attributionFiles'
import { formatOf, formatOfFile, formatOfLine, startsWithParquetMagic } from '../../src/files/format'

const dir = mkdtempSync(join(tmpdir(), 'tp-format-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const arbName = fc.tuple(fc.constantFrom('data', 'a.b', 'dir.csv/x'), fc.constantFrom('', '.csv', '.TSV', '.txt', '.jsonl', '.NDJSON', '.json', '.log', '.parquet'), fc.constantFrom('', '.gz', '.GZIP'))
  .map(([b, e, z]) => `/tmp/${b}${e}${z}`)
const arbLine = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('', '   ', '\uFEFF{"a":1}', ' \t{', 'path,total', '"path"', '{'))

describe('formatOf', () => {
  it('takes the format given, else the name, else the first line', () => {
    expect(formatOf('x.csv', '{"a":1}', 'jsonl')).toBe('jsonl')
    expect(formatOf('x.csv.gz', '{"a":1}')).toBe('csv')
    expect(formatOf('x.NDJSON', 'a,b')).toBe('jsonl')
    expect(formatOf('x.log', ' {"a":1}')).toBe('jsonl')
    expect(formatOf('x.log', 'a,b')).toBe('csv')
    expect(formatOf('x.log', undefined)).toBeUndefined()
  })

  it('a blank first line tells nothing (the copy in describeInputs said CSV)', () => {
    expect(formatOfLine('')).toBeUndefined()
    expect(formatOfLine(' \t')).toBeUndefined()
    expect(formatOf('x.log', '')).toBeUndefined()
  })

  test.prop([arbName, arbLine])('agrees with the copies it replaced wherever the first line is not blank', (path, line) => {
    // describeInputs and readLog (src/files/inputs.ts, src/cli/logInput.ts) before:
    const ext = /\.(csv|tsv|txt|jsonl|ndjson|json)$/i.exec(path.replace(/\.(gz|gzip)$/i, ''))?.[1]?.toLowerCase()
    const byName = ext === undefined ? undefined : ['csv', 'tsv', 'txt'].includes(ext) ? 'csv' : 'jsonl'
    const before = byName ?? (/^\s*\{/.test(line) ? 'jsonl' : 'csv')
    if (line.trim() !== '') expect(formatOf(path, line)).toBe(before)
    expect(formatOfFile(path)).toBe(byName)
    // The DuckDB source's byte sniff (src/engines/files.ts) before, on any first bytes:
    expect(formatOfLine(line) ?? 'csv').toBe(line.trimStart().startsWith('{') ? 'jsonl' : 'csv')
  })

  it('knows Parquet by its magic number only', () => {
    expect(startsWithParquetMagic('PAR1\u0015\u0004')).toBe(true)
    expect(startsWithParquetMagic('PAR')).toBe(false)
    expect(startsWithParquetMagic('par1')).toBe(false)
    expect(startsWithParquetMagic(undefined)).toBe(false)
  })

  it('reads JSON lines that start with a blank line in a file whose name says no format (read as CSV before)', async () => {
    const path = join(dir, 'paths.dat')
    writeFileSync(path, '\n{"path":"a > b","total_conversions":2}\n{"path":"b","total_conversions":1}\n')
    const r = await readAttributionFiles()([path])
    expect(E.isRight(r) ? [r.right.kind, r.right.rows, r.right.partial.channels] : r.left).toEqual(['paths', 2, ['a', 'b']])
  })
})
