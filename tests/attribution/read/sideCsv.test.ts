/**
 * The side-file reader the report's costs and surveys share: options, BOM, malformed records, blank lines, the
 * header (required and repeated columns) and row widths, each a located issue, in line order with the caller's.
 */
import { fc, test } from '@fast-check/vitest'
import * as E from 'fp-ts/Either'
import { describe, expect, it } from 'vitest'
import { readSideCsv, type SideCsv } from '../../../src/attribution/read/sideCsv'
import type { Issue, TouchpointError } from '../../../src/core/errors'

/** A file with a required "name" column; a row whose name is "bad" is an issue of the caller's. */
const spec = (seen: Array<[string, number]>): SideCsv<number> => ({
  optionsExpected: 'an object such as { delimiter: ";" }',
  otherOptions: (o) => (o['level'] === undefined ? [] : [{ path: 'options.level', expected: 'nothing', actual: o['level'] }]),
  columns: (header, line, shown) => {
    const name = header.indexOf('name')
    return name < 0 ? E.left([{ path: 'header', expected: 'a column named "name"', actual: shown, line }]) : E.right({ columns: name, named: [name] })
  },
  headerExpected: 'a header row with "name"',
  row: (fields, line, name, issues) => {
    if (fields[name] === 'bad') issues.push({ path: 'name', expected: 'not bad', actual: 'bad', line })
    else seen.push([fields[name]!, line])
  },
})

const issuesOf = (r: E.Either<TouchpointError, unknown>): ReadonlyArray<Issue> => (E.isLeft(r) && r.left._tag === 'InvalidInput' ? r.left.issues : [])

describe('readSideCsv', () => {
  it('a BOM and blank lines are skipped, line numbers kept; columns found in any case and spacing', () => {
    const seen: Array<[string, number]> = []
    expect(readSideCsv(spec(seen), '\uFEFF\n x , NAME \n1,ada\n\n \n2,bob\n', {})).toEqual(E.right(1))
    expect(seen).toEqual([
      ['ada', 3],
      ['bob', 6],
    ])
  })

  it('every problem is located and listed in line order with the caller\'s own issues', () => {
    const r = readSideCsv(spec([]), 'name;n\nbad;1\na "b";2\nok\nok;1\nbad;2\n', { delimiter: ';' })
    expect(issuesOf(r).map((i) => [i.line, i.path, i.expected])).toEqual([
      [2, 'name', 'not bad'],
      [3, '', 'a well-formed CSV record'],
      [4, '', '2 fields'],
      [6, 'name', 'not bad'],
    ])
  })

  it('the header: a required column missing, a read column twice, no header at all', () => {
    expect(issuesOf(readSideCsv(spec([]), '\nid,x\n1,2\n', {}))).toEqual([{ path: 'header', expected: 'a column named "name"', actual: 'id,x', line: 2 }])
    expect(issuesOf(readSideCsv(spec([]), 'Name,name\na,b\n', {}))).toEqual([{ path: 'header', expected: 'the column "name" once (it is read; rename or drop the other copy)', actual: 'Name,name', line: 1 }])
    expect(issuesOf(readSideCsv(spec([]), '\n\n', {}))).toEqual([{ path: 'header', expected: 'a header row with "name"', actual: '', line: 1 }])
  })

  it('from plain JavaScript: text or options that are none; a bad delimiter reported beside the other options', () => {
    expect(issuesOf(readSideCsv(spec([]), 42, {}))).toEqual([{ path: 'text', expected: 'CSV text (a string)', actual: 42 }])
    expect(issuesOf(readSideCsv(spec([]), 'name\n', null))).toEqual([{ path: 'options', expected: 'an object such as { delimiter: ";" }', actual: null }])
    expect(issuesOf(readSideCsv(spec([]), 'name\n', { delimiter: '"', level: 2 })).map((i) => i.path)).toEqual(['options.delimiter', 'options.level'])
  })

  test.prop([fc.array(fc.oneof(fc.constantFrom('', ' ', 'bad', 'a,b', '"q', 'x""y'), fc.string({ maxLength: 6 })), { maxLength: 20 })])(
    'any rows: Right exactly when no row has an issue; every good row read once, in order',
    (rows) => {
      const seen: Array<[string, number]> = []
      const r = readSideCsv(spec(seen), `name\n${rows.join('\n')}\n`, {})
      const issues = issuesOf(r)
      expect(E.isRight(r)).toBe(issues.length === 0)
      const lines = [...issues.map((i) => i.line!), ...seen.map(([, l]) => l)]
      expect(new Set(lines).size).toBe(lines.length)
      expect(issues.map((i) => i.line)).toEqual([...issues.map((i) => i.line)].sort((a, b) => a! - b!))
      expect(seen.map(([, l]) => l)).toEqual([...seen.map(([, l]) => l)].sort((a, b) => a - b))
    },
  )
})
