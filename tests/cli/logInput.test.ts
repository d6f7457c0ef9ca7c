/**
 * readLog (the experiments' raw-log reader) tells JSON lines from CSV by the first line that holds something: a
 * JSON-lines file opening with blank lines was read as CSV (its first object taken for a header).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import * as E from 'fp-ts/Either'
import { afterAll, describe, expect, it } from 'vitest'
import { readLog } from '../../src/cli/logInput'

const dir = mkdtempSync(join(tmpdir(), 'touchpoint-log-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const readAll = async (name: string, text: string) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  const seen: Array<{ format: string; names: ReadonlyArray<string> }> = []
  const rows: Array<number> = []
  const r = await readLog(path, {}, { replaced: 0, firstReplacedLine: undefined }, {
    columns: (names, format) => (seen.push({ format, names }), undefined),
    row: (_, line) => (rows.push(line), undefined),
  })
  return { r, seen, rows }
}

describe('readLog: the kind of a file without a telling name', () => {
  it.each([['\n'], ['\n\n'], ['  \r\n\t\n']])('JSON lines opening with blank lines %j are read as JSON lines', async (blank) => {
    const { r, seen, rows } = await readAll('log', `${blank}{"unit_id":"u1","event":"buy"}\n{"unit_id":"u2","event":"buy"}\n`)
    expect(E.isRight(r) ? r.right.records : r).toBe(2)
    expect(seen).toEqual([{ format: 'jsonl', names: ['unit_id', 'event'] }])
    expect(rows.length).toBe(2)
  })

  it('CSV opening with a blank line is still CSV', async () => {
    const { r, seen } = await readAll('log2', '\nunit_id,event\nu1,buy\n')
    expect(E.isRight(r) ? r.right.records : r).toBe(1)
    expect(seen).toEqual([{ format: 'csv', names: ['unit_id', 'event'] }])
  })
})
